namespace FedNano.FederatedMLLM.Federation;

/// <summary>What a selected site is asked to do in a round.</summary>
/// <param name="Round">Round number (1-based).</param>
/// <param name="GlobalVersion">Version of the global adapters it starts from.</param>
/// <param name="Global">The global adapters.</param>
/// <param name="Aggregator">The aggregator's name.</param>
/// <param name="NeedsFisher">Whether to upload a Fisher estimate.</param>
/// <param name="ProximalMu">FedProx μ to train with (0 = none).</param>
/// <param name="DeadlineUtc">When the round closes.</param>
public sealed record RoundTask(int Round, string GlobalVersion, AdapterSet Global, string Aggregator, bool NeedsFisher, double ProximalMu, DateTimeOffset DeadlineUtc);
