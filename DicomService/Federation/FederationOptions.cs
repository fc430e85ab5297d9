namespace FedNano.DicomService.Federation;

/// <summary>Federation settings of the host (section <c>Federation</c>).</summary>
public sealed class FederationOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Federation";

    /// <summary>Base model whose frozen blocks serve split compute; relative paths are beside the service.</summary>
    public string ModelDirectory { get; set; } = Path.Combine("models", "radiology-base-small");

    /// <summary>"auto" (CUDA when present), "cpu" or "cuda".</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Site registry file (credentials as salted hashes); relative paths are under Storage:DataDirectory.</summary>
    public string SitesFile { get; set; } = "sites.json";

    /// <summary>Largest activation tensor a site may send, in elements.</summary>
    public long MaxActivationElements { get; set; } = 16L << 20;

    /// <summary>Split steps a site may leave open (forward without backward) before the oldest are dropped.</summary>
    public int MaxPendingStepsPerSite { get; set; } = 8;
}
