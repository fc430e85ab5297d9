namespace FedNano.FederatedMLLM.Federation;

/// <summary>Limits a site update must respect (bound from <c>Federation:Validation</c>).</summary>
public sealed class UpdateValidationOptions
{
    /// <summary>Largest L2 norm of (site adapters − global adapters) accepted; larger updates are rejected as outliers.</summary>
    public double MaxUpdateNorm { get; set; } = 10;

    /// <summary>Largest sample count a site may claim in one round (its FedAvg weight).</summary>
    public long MaxSampleCount { get; set; } = 10_000_000;
}
