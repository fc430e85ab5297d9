namespace FedNano.FederatedMLLM.Federation;

/// <summary>
/// Checks a site update before aggregation: the adapter layout (names and shapes), finite values, a non-negative
/// finite Fisher when one is required, a plausible sample count and an update norm within the bound.
/// </summary>
public sealed class UpdateValidator(UpdateValidationOptions options)
{
    private readonly UpdateValidationOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The verdict on <paramref name="update"/> against <paramref name="global"/>.</summary>
    public UpdateVerdict Check(AdapterSet global, SiteUpdate update, bool needsFisher)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(update);
        if (update.SampleCount < 1 || update.SampleCount > _options.MaxSampleCount)
            return UpdateVerdict.Reject($"sample count {update.SampleCount} is outside 1..{_options.MaxSampleCount}");
        if (Layout(global, update.Adapters) is { } layout) return UpdateVerdict.Reject("adapters: " + layout);
        foreach (var t in update.Adapters.Tensors)
        {
            int bad = Array.FindIndex(t.Values, v => !float.IsFinite(v));
            if (bad >= 0) return UpdateVerdict.Reject($"adapter tensor '{t.Name}' has a non-finite value ({t.Values[bad]}) at element {bad}");
        }
        if (needsFisher)
        {
            if (update.Fisher is null) return UpdateVerdict.Reject("no Fisher estimate (the aggregator needs one)");
            if (Layout(global, update.Fisher) is { } fisherLayout) return UpdateVerdict.Reject("Fisher: " + fisherLayout);
            foreach (var t in update.Fisher.Tensors)
            {
                int bad = Array.FindIndex(t.Values, v => !float.IsFinite(v) || v < 0);
                if (bad >= 0) return UpdateVerdict.Reject($"Fisher tensor '{t.Name}' has an invalid value ({t.Values[bad]}) at element {bad}: it must be finite and ≥ 0");
            }
        }
        double sum = 0;
        for (int k = 0; k < global.Tensors.Count; k++)
        {
            var g = global.Tensors[k].Values;
            var s = update.Adapters.Tensors[k].Values;
            for (int i = 0; i < g.Length; i++) { double d = s[i] - (double)g[i]; sum += d * d; }
        }
        double norm = Math.Sqrt(sum);
        if (!(norm <= _options.MaxUpdateNorm))
            return UpdateVerdict.Reject($"update norm {norm:G4} exceeds the bound {_options.MaxUpdateNorm:G4}", norm);
        return new UpdateVerdict(true, null, norm);
    }

    private static string? Layout(AdapterSet global, AdapterSet sent)
    {
        if (sent.Tensors.Count != global.Tensors.Count)
            return $"{sent.Tensors.Count} tensors, expected {global.Tensors.Count}";
        for (int k = 0; k < global.Tensors.Count; k++)
        {
            var (g, s) = (global.Tensors[k], sent.Tensors[k]);
            if (g.Name != s.Name) return $"tensor {k} is '{s.Name}', expected '{g.Name}'";
            if (!g.Shape.SequenceEqual(s.Shape)) return $"tensor '{g.Name}' has shape [{string.Join(", ", s.Shape)}], expected [{string.Join(", ", g.Shape)}]";
        }
        return null;
    }
}
