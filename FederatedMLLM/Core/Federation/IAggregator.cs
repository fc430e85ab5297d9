namespace FedNano.FederatedMLLM.Federation;

/// <summary>
/// Combines the accepted site updates of a round into the next global adapters (Flower's strategy idea, reduced to
/// the one step that differs between FedAvg, FedProx and Fisher merging).
/// </summary>
public interface IAggregator
{
    /// <summary>Name for logs, the REST view and the results table ("fedavg", "fedprox", "fisher").</summary>
    string Name { get; }

    /// <summary>Whether sites must upload a Fisher estimate with their adapters.</summary>
    bool NeedsFisher { get; }

    /// <summary>The proximal coefficient μ sites add to their loss (μ/2·‖θ − θ_global‖²), 0 for none.</summary>
    double ProximalMu { get; }

    /// <summary>The next global adapters from <paramref name="global"/> and at least one validated update.</summary>
    AdapterSet Aggregate(AdapterSet global, IReadOnlyList<SiteUpdate> updates);
}
