namespace FedNano.FederatedMLLM.Federation;

/// <summary>
/// FedProx (Li et al. 2020): sites minimise their loss plus μ/2·‖θ − θ_global‖², which keeps heterogeneous sites
/// from drifting apart; the server then averages as FedAvg does.
/// </summary>
/// <param name="Mu">The proximal coefficient μ (&gt; 0).</param>
public sealed class FedProx(double Mu = 0.01) : IAggregator
{
    /// <inheritdoc />
    public string Name => "fedprox";

    /// <inheritdoc />
    public bool NeedsFisher => false;

    /// <inheritdoc />
    public double ProximalMu { get; } = Mu > 0 && double.IsFinite(Mu) ? Mu : throw new ArgumentOutOfRangeException(nameof(Mu), "μ must be positive and finite.");

    /// <inheritdoc />
    public AdapterSet Aggregate(AdapterSet global, IReadOnlyList<SiteUpdate> updates) => FedAvg.WeightedMean(global, updates);
}
