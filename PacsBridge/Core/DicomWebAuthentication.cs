namespace FedNano.PacsBridge;

/// <summary>How a <see cref="DicomWebClient"/> authenticates to its server.</summary>
public enum DicomWebAuthentication
{
    /// <summary>No credentials.</summary>
    None,

    /// <summary>HTTP Basic (RFC 7617) with <see cref="DicomWebClientOptions.UserName"/> and <see cref="DicomWebClientOptions.Password"/>.</summary>
    Basic,

    /// <summary>A bearer token (RFC 6750), <see cref="DicomWebClientOptions.BearerToken"/>.</summary>
    Bearer,

    /// <summary>An API key header, <see cref="DicomWebClientOptions.ApiKeyHeader"/>: <see cref="DicomWebClientOptions.ApiKey"/> (the FedNano service's ApiKey mode).</summary>
    ApiKey,
}
