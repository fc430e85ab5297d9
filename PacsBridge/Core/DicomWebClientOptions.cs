namespace FedNano.PacsBridge;

/// <summary>Where a DICOMweb server is and how to talk to it (bound from configuration, e.g. a bridge's <c>Source</c> section).</summary>
public sealed class DicomWebClientOptions
{
    /// <summary>The DICOMweb base URL (the part before <c>/studies</c>), e.g. <c>http://127.0.0.1:8042/dicom-web</c>. https is used as given (TLS with the system's trust store).</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>Credentials to send.</summary>
    public DicomWebAuthentication Authentication { get; set; } = DicomWebAuthentication.None;

    /// <summary>Basic: user name.</summary>
    public string? UserName { get; set; }

    /// <summary>Basic: password.</summary>
    public string? Password { get; set; }

    /// <summary>Bearer: the token.</summary>
    public string? BearerToken { get; set; }

    /// <summary>ApiKey: the header name (default X-Api-Key).</summary>
    public string ApiKeyHeader { get; set; } = "X-Api-Key";

    /// <summary>ApiKey: the key.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Longest wait for one request's response headers, and between chunks of a body (seconds, default 100).</summary>
    public double TimeoutSeconds { get; set; } = 100;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">The URL is not absolute http(s), or the credentials the mode needs are missing.</exception>
    public void Validate()
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"DICOMweb base URL '{BaseUrl}' is not an absolute http or https URL.", nameof(BaseUrl));
        if (!(TimeoutSeconds is > 0 and <= 86_400))
            throw new ArgumentException($"Timeout {TimeoutSeconds} s is outside (0, 86400].", nameof(TimeoutSeconds));
        switch (Authentication)
        {
            case DicomWebAuthentication.Basic when string.IsNullOrEmpty(UserName):
                throw new ArgumentException("Basic authentication needs a user name.", nameof(UserName));
            case DicomWebAuthentication.Bearer when string.IsNullOrEmpty(BearerToken):
                throw new ArgumentException("Bearer authentication needs a token.", nameof(BearerToken));
            case DicomWebAuthentication.ApiKey when string.IsNullOrEmpty(ApiKey) || string.IsNullOrWhiteSpace(ApiKeyHeader):
                throw new ArgumentException("API-key authentication needs a header name and a key.", nameof(ApiKey));
        }
    }
}
