namespace FedNano.FederatedMLLM.Federation;

/// <summary>What a site uploads after a round's local training.</summary>
/// <param name="SiteId">The authenticated site.</param>
/// <param name="Adapters">Its adapter weights after local training (same layout as the global adapters).</param>
/// <param name="SampleCount">Training samples it used (the FedAvg weight).</param>
/// <param name="Fisher">Diagonal empirical Fisher per adapter parameter (same layout), or null when not computed.</param>
public sealed record SiteUpdate(string SiteId, AdapterSet Adapters, long SampleCount, AdapterSet? Fisher = null);
