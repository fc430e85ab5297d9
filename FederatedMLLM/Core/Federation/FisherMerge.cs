namespace FedNano.FederatedMLLM.Federation;

/// <summary>
/// Fisher-weighted merging (Matena &amp; Raffel 2022), FedNano's aggregator: per parameter
/// θ* = (Σ λᵢF̂ᵢθᵢ + ε·θ̄) / (Σ λᵢF̂ᵢ + ε), with λᵢ = nᵢ/Σn, F̂ᵢ site i's diagonal Fisher divided by its own mean
/// (so no site dominates by the scale of its gradients) and θ̄ the FedAvg mean — ε stabilises the division and pulls
/// parameters no site has information about toward FedAvg instead of toward zero. A and B of an adapter are merged
/// separately, which is not the same as merging their product B·A (documented, as in the FedNano design).
/// </summary>
/// <param name="Epsilon">ε (&gt; 0).</param>
public sealed class FisherMerge(double Epsilon = 1e-8) : IAggregator
{
    /// <inheritdoc />
    public string Name => "fisher";

    /// <inheritdoc />
    public bool NeedsFisher => true;

    /// <inheritdoc />
    public double ProximalMu => 0;

    /// <summary>ε.</summary>
    public double Epsilon { get; } = Epsilon > 0 && double.IsFinite(Epsilon) ? Epsilon : throw new ArgumentOutOfRangeException(nameof(Epsilon), "ε must be positive and finite.");

    /// <inheritdoc />
    /// <exception cref="ArgumentException">An update has no Fisher, or a layout differs.</exception>
    public AdapterSet Aggregate(AdapterSet global, IReadOnlyList<SiteUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(global);
        Aggregation.Check(global, updates);
        foreach (var u in updates)
        {
            if (u.Fisher is null) throw new ArgumentException($"Site {u.SiteId} sent no Fisher estimate; Fisher merging needs one.", nameof(updates));
            if (!u.Fisher.SameLayout(global)) throw new ArgumentException($"Site {u.SiteId}'s Fisher does not match the adapter layout.", nameof(updates));
        }
        var mean = FedAvg.WeightedMean(global, updates);
        double total = updates.Sum(u => (double)u.SampleCount);
        // Per-site normalisation: divide by the site's mean Fisher over all adapter parameters.
        var scale = updates.Select(u =>
        {
            double m = u.Fisher!.Tensors.Sum(t => t.Values.Sum(v => (double)v)) / u.Fisher.ParameterCount;
            return m > 0 ? u.SampleCount / total / m : 0;
        }).ToArray();
        var result = new float[global.Tensors.Count][];
        for (int t = 0; t < result.Length; t++)
        {
            int n = global.Tensors[t].Values.Length;
            var numerator = new double[n];
            var denominator = new double[n];
            for (int s = 0; s < updates.Count; s++)
            {
                var f = updates[s].Fisher!.Tensors[t].Values;
                var v = updates[s].Adapters.Tensors[t].Values;
                for (int i = 0; i < n; i++)
                {
                    double w = scale[s] * f[i];
                    numerator[i] += w * v[i];
                    denominator[i] += w;
                }
            }
            var avg = mean.Tensors[t].Values;
            result[t] = new float[n];
            for (int i = 0; i < n; i++) result[t][i] = (float)((numerator[i] + Epsilon * avg[i]) / (denominator[i] + Epsilon));
        }
        return global.With(result);
    }
}
