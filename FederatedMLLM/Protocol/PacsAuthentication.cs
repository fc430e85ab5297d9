namespace FedNano.FederatedMLLM.Protocol;

/// <summary>How the site agent authenticates to the site's own DICOMweb PACS.</summary>
public enum PacsAuthentication
{
    /// <summary>No credentials (a PACS reachable only from the site's network).</summary>
    None,

    /// <summary>HTTP Basic with <see cref="SitePacsOptions.UserName"/> and <see cref="SitePacsOptions.Password"/>.</summary>
    Basic,

    /// <summary>A bearer token, <see cref="SitePacsOptions.BearerToken"/>.</summary>
    Bearer,

    /// <summary>An API-key header, <see cref="SitePacsOptions.ApiKeyHeader"/>: <see cref="SitePacsOptions.ApiKey"/>.</summary>
    ApiKey,
}
