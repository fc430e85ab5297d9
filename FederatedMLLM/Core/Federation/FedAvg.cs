namespace FedNano.FederatedMLLM.Federation;

/// <summary>FedAvg (McMahan et al. 2017): the sample-weighted mean of the sites' adapters.</summary>
public sealed class FedAvg : IAggregator
{
    /// <inheritdoc />
    public string Name => "fedavg";

    /// <inheritdoc />
    public bool NeedsFisher => false;

    /// <inheritdoc />
    public double ProximalMu => 0;

    /// <inheritdoc />
    public AdapterSet Aggregate(AdapterSet global, IReadOnlyList<SiteUpdate> updates) => WeightedMean(global, updates);

    /// <summary>Σ nᵢθᵢ / Σ nᵢ per parameter, accumulated in double.</summary>
    /// <exception cref="ArgumentException">No update, or an update whose layout differs from the global one.</exception>
    public static AdapterSet WeightedMean(AdapterSet global, IReadOnlyList<SiteUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(global);
        Aggregation.Check(global, updates);
        double total = updates.Sum(u => (double)u.SampleCount);
        var result = new float[global.Tensors.Count][];
        for (int t = 0; t < result.Length; t++)
        {
            var sum = new double[global.Tensors[t].Values.Length];
            foreach (var u in updates)
            {
                double w = u.SampleCount / total;
                var v = u.Adapters.Tensors[t].Values;
                for (int i = 0; i < sum.Length; i++) sum[i] += w * v[i];
            }
            result[t] = sum.Select(x => (float)x).ToArray();
        }
        return global.With(result);
    }
}
