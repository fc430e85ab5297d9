namespace FedNano.FederatedMLLM.Protocol;

/// <summary>
/// The site's DICOMweb PACS as the agent's data source (<c>DataFormat = dicomweb</c>): CT series found with QIDO-RS
/// and read with WADO-RS, their reports from text files in <see cref="ReportsDirectory"/> or from Basic Text SR series
/// in the same PACS.
/// </summary>
public sealed class SitePacsOptions
{
    /// <summary>The DICOMweb base URL (the part before <c>/studies</c>), e.g. <c>https://pacs.example-hospital.org/dicom-web</c>.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>Credentials to send.</summary>
    public PacsAuthentication Authentication { get; set; } = PacsAuthentication.None;

    /// <summary>Basic: user name.</summary>
    public string? UserName { get; set; }

    /// <summary>Basic: password.</summary>
    public string? Password { get; set; }

    /// <summary>Bearer: the token.</summary>
    public string? BearerToken { get; set; }

    /// <summary>ApiKey: the header name.</summary>
    public string ApiKeyHeader { get; set; } = "X-Api-Key";

    /// <summary>ApiKey: the key.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Text reports (<c>*.txt</c>, named after the Study or Series Instance UID or the accession number); optional
    /// when the reports are SR instances in the PACS. A file wins over an SR of the same study.
    /// </summary>
    public string? ReportsDirectory { get; set; }

    /// <summary>Read Basic Text SR series of the PACS as reports (default on).</summary>
    public bool ReportsFromSr { get; set; } = true;

    /// <summary>QIDO-RS StudyDate matching (a date or range such as <c>20250101-20251231</c>); empty takes every study.</summary>
    public string? StudyDate { get; set; }

    /// <summary>Most CT series to use (0: all the search finds).</summary>
    public int MaxSeries { get; set; }

    /// <summary>Results asked for per QIDO-RS page (limit/offset paging).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Longest wait for one response's headers and between chunks of its body, in seconds.</summary>
    public double TimeoutSeconds { get; set; } = 100;

    /// <summary>Retries of one request after a connection failure, timeout or 5xx status.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A missing or malformed value, named.</exception>
    public void Validate()
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"Pacs:BaseUrl '{BaseUrl}' must be an absolute http(s) DICOMweb URL.");
        switch (Authentication)
        {
            case PacsAuthentication.Basic when string.IsNullOrEmpty(UserName):
                throw new ArgumentException("Pacs:Authentication Basic needs Pacs:UserName.");
            case PacsAuthentication.Bearer when string.IsNullOrEmpty(BearerToken):
                throw new ArgumentException("Pacs:Authentication Bearer needs Pacs:BearerToken.");
            case PacsAuthentication.ApiKey when string.IsNullOrEmpty(ApiKey) || string.IsNullOrWhiteSpace(ApiKeyHeader):
                throw new ArgumentException("Pacs:Authentication ApiKey needs Pacs:ApiKeyHeader and Pacs:ApiKey.");
        }
        if (!string.IsNullOrEmpty(ReportsDirectory) && !Directory.Exists(ReportsDirectory))
            throw new ArgumentException($"Pacs:ReportsDirectory '{ReportsDirectory}' does not exist.");
        if (string.IsNullOrEmpty(ReportsDirectory) && !ReportsFromSr)
            throw new ArgumentException("No report source: set Pacs:ReportsDirectory or Pacs:ReportsFromSr.");
        if (MaxSeries < 0) throw new ArgumentException($"Pacs:MaxSeries {MaxSeries} must be ≥ 0.");
        if (PageSize is < 1 or > 10_000) throw new ArgumentException($"Pacs:PageSize {PageSize} must be in [1, 10000].");
        if (!(TimeoutSeconds is > 0 and <= 86_400)) throw new ArgumentException($"Pacs:TimeoutSeconds {TimeoutSeconds} must be in (0, 86400].");
        if (Retries is < 0 or > 20) throw new ArgumentException($"Pacs:Retries {Retries} must be in [0, 20].");
    }
}
