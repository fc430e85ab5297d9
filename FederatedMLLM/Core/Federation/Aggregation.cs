namespace FedNano.FederatedMLLM.Federation;

/// <summary>Preconditions every aggregator shares.</summary>
internal static class Aggregation
{
    public static void Check(AdapterSet global, IReadOnlyList<SiteUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Count == 0) throw new ArgumentException("Aggregation needs at least one accepted update.", nameof(updates));
        foreach (var u in updates)
        {
            if (!u.Adapters.SameLayout(global)) throw new ArgumentException($"Site {u.SiteId}'s adapters do not match the global layout.", nameof(updates));
            if (u.SampleCount < 1) throw new ArgumentException($"Site {u.SiteId} reported {u.SampleCount} samples.", nameof(updates));
        }
    }
}
