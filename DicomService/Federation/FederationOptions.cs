namespace FedNano.DicomService.Federation;

/// <summary>Federation settings of the host (section <c>Federation</c>).</summary>
public sealed class FederationOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Federation";

    /// <summary>
    /// Optional cleartext HTTP/2 (h2c) URL for the federation's gRPC, e.g. <c>http://127.0.0.1:5081</c>; empty = gRPC only
    /// on the service's own https URL (HTTP/2 by ALPN).
    /// </summary>
    public string GrpcUrl { get; set; } = "";

    /// <summary>Base model whose frozen blocks serve split compute; relative paths are beside the service.</summary>
    public string ModelDirectory { get; set; } = Path.Combine("models", "radiology-base-small");

    /// <summary>"auto" (CUDA when present), "cpu" or "cuda".</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Site registry file (credentials as salted hashes); relative paths are under Storage:DataDirectory.</summary>
    public string SitesFile { get; set; } = "sites.json";

    /// <summary>Aggregator: "fisher" (FedNano), "fedavg" or "fedprox".</summary>
    public string Aggregator { get; set; } = "fisher";

    /// <summary>FedProx μ (fedprox only).</summary>
    public double FedProxMu { get; set; } = 0.01;

    /// <summary>Fisher merging ε (fisher only).</summary>
    public double FisherEpsilon { get; set; } = 1e-8;

    /// <summary>Federation state snapshot (global adapters, rounds); relative paths are under Storage:DataDirectory.</summary>
    public string SnapshotFile { get; set; } = "federation.json";

    /// <summary>Audit log (JSON lines); relative paths are under Storage:DataDirectory.</summary>
    public string AuditFile { get; set; } = "federation-audit.jsonl";

    /// <summary>Seed of the initial global adapters.</summary>
    public int AdapterSeed { get; set; }

    /// <summary>Adapter shape.</summary>
    public FedNano.FederatedMLLM.Federation.NanoAdapterOptions Adapters { get; set; } = new();

    /// <summary>Round settings.</summary>
    public FedNano.FederatedMLLM.Federation.RoundOptions Rounds { get; set; } = new();

    /// <summary>Update validation limits.</summary>
    public FedNano.FederatedMLLM.Federation.UpdateValidationOptions Validation { get; set; } = new();

    /// <summary>Largest activation tensor a site may send, in elements.</summary>
    public long MaxActivationElements { get; set; } = 16L << 20;

    /// <summary>Split steps a site may leave open (forward without backward) before the oldest are dropped.</summary>
    public int MaxPendingStepsPerSite { get; set; } = 8;
}
