namespace FedNano.FederatedMLLM.Federation;

/// <summary>What a site uploads after a round's local training.</summary>
/// <param name="SiteId">The authenticated site.</param>
/// <param name="Adapters">Its adapter weights after local training (same layout as the global adapters).</param>
/// <param name="SampleCount">Training samples it used (the FedAvg weight).</param>
/// <param name="Fisher">Diagonal empirical Fisher per adapter parameter (same layout), or null when not computed.</param>
/// <param name="DpClipNorm">The L2 bound the site clipped its update to before adding noise (0 = no differential privacy).</param>
/// <param name="DpNoiseMultiplier">The site's Gaussian noise multiplier σ (noise N(0, (σ·clip)²) per parameter; 0 = none).</param>
public sealed record SiteUpdate(string SiteId, AdapterSet Adapters, long SampleCount, AdapterSet? Fisher = null, double DpClipNorm = 0, double DpNoiseMultiplier = 0);
