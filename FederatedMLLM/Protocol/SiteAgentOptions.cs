using FedNano.FederatedMLLM.Federation;

namespace FedNano.FederatedMLLM.Protocol;

/// <summary>The hospital site agent's settings (fednano-site.json, FEDNANO_SITE_* variables, --Key=value arguments).</summary>
public sealed class SiteAgentOptions
{
    /// <summary>The FedNano server (https in production; h2c http for loopback simulations).</summary>
    public string ServerUrl { get; set; } = "";

    /// <summary>The credential the server operator issued ("site-id.secret", from <c>sites add</c>).</summary>
    public string Credential { get; set; } = "";

    /// <summary>
    /// Local training data: a folder of DICOM CT series with their reports (text files named after the study or
    /// series UID or the accession number, or Basic Text SR instances), or a prepared QA dataset folder
    /// (<c>images.safetensors</c> with standardised stacks and <c>samples.jsonl</c>).
    /// </summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>
    /// Where the training data comes from: <c>auto</c> (<see cref="DataDirectory"/> as a QA dataset when it has
    /// samples.jsonl, DICOM otherwise), <c>dicom</c> or <c>qa-dataset</c> (<see cref="DataDirectory"/>), or
    /// <c>dicomweb</c> (the site's PACS, <see cref="Pacs"/>).
    /// </summary>
    public string DataFormat { get; set; } = "auto";

    /// <summary>The site's DICOMweb PACS and report files, read when <see cref="DataFormat"/> is <c>dicomweb</c>.</summary>
    public SitePacsOptions Pacs { get; set; } = new();

    /// <summary>The base model's site part (encoder, connector, embeddings, head); default the shipped model.</summary>
    public string ModelDirectory { get; set; } = Path.Combine("models", "radiology-base-small");

    /// <summary>Where the site keeps its adapters and metrics (nothing else is written).</summary>
    public string OutputDirectory { get; set; } = "fednano-site-output";

    /// <summary>NanoAdapter shape; must match the server's Federation:Adapters.</summary>
    public NanoAdapterOptions Adapters { get; set; } = new();

    /// <summary>Local training per round (and optional differential privacy).</summary>
    public LocalTrainingOptions Training { get; set; } = new();

    /// <summary>Consecutive network failures tolerated before the agent gives up.</summary>
    public int MaxRetries { get; set; } = 10;

    /// <summary>First retry delay; doubles per consecutive failure up to a minute.</summary>
    public double RetryDelaySeconds { get; set; } = 1;

    /// <summary>Seed of local batch drawing.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>The site id: the credential's part before the dot.</summary>
    public string SiteId => Credential.Split('.')[0];

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A missing or malformed value, named.</exception>
    public void Validate()
    {
        if (!Uri.TryCreate(ServerUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) throw new ArgumentException($"ServerUrl '{ServerUrl}' must be an absolute http(s) URL.");
        if (!Credential.Contains('.', StringComparison.Ordinal)) throw new ArgumentException("Credential must be the 'site-id.secret' string the server operator issued.");
        if (DataFormat is not ("auto" or "dicom" or "qa-dataset" or "dicomweb")) throw new ArgumentException($"DataFormat '{DataFormat}' must be auto, dicom, qa-dataset or dicomweb.");
        if (DataFormat == "dicomweb") Pacs.Validate();
        else if (string.IsNullOrWhiteSpace(DataDirectory)) throw new ArgumentException("DataDirectory is required (or DataFormat=dicomweb with Pacs:BaseUrl).");
        if (MaxRetries < 0 || !(RetryDelaySeconds > 0)) throw new ArgumentException("MaxRetries must be ≥ 0 and RetryDelaySeconds > 0.");
        Adapters.Validate();
        Training.Validate();
    }
}
