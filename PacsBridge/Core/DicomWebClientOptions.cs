namespace FedNano.PacsBridge;

/// <summary>Where a DICOMweb server is and how to talk to it (bound from configuration, e.g. a bridge's <c>Source</c> section).</summary>
public sealed class DicomWebClientOptions
{
    /// <summary>The DICOMweb base URL (the part before <c>/studies</c>), e.g. <c>http://127.0.0.1:8042/dicom-web</c>. https is verified against the system's trust store unless <see cref="TrustedCaFile"/> is set.</summary>
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

    /// <summary>
    /// https: a PEM file with the CA certificate(s) that issue the server's certificate (a site's own PKI). When set, the
    /// server's chain must end in one of these and the system trust store is not consulted; the host name is checked either way.
    /// </summary>
    public string? TrustedCaFile { get; set; }

    /// <summary>
    /// https with mutual TLS: the certificate this client presents — a PKCS#12 file (<c>.pfx</c>/<c>.p12</c>, with
    /// <see cref="ClientCertificatePassword"/>) or a PEM certificate (its private key in the same file or in
    /// <see cref="ClientCertificateKeyFile"/>).
    /// </summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="ClientCertificateFile"/>, when the key is not in the certificate file.</summary>
    public string? ClientCertificateKeyFile { get; set; }

    /// <summary>Password of a PKCS#12 <see cref="ClientCertificateFile"/> (or of an encrypted PEM key).</summary>
    public string? ClientCertificatePassword { get; set; }

    /// <summary>A copy of these settings pointed at <paramref name="baseUrl"/> (same credentials, TLS and timeout).</summary>
    public DicomWebClientOptions WithBaseUrl(string baseUrl)
    {
        var copy = (DicomWebClientOptions)MemberwiseClone();
        copy.BaseUrl = baseUrl;
        return copy;
    }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">The URL is not absolute http(s), the credentials the mode needs are missing, or a TLS file is missing or unreadable.</exception>
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
        if (!string.IsNullOrEmpty(ClientCertificateKeyFile) && string.IsNullOrEmpty(ClientCertificateFile))
            throw new ArgumentException("ClientCertificateKeyFile is set without ClientCertificateFile.", nameof(ClientCertificateKeyFile));
        // Load once so that a wrong path, a wrong password or a certificate without its key fails at start-up, not at the first transfer.
        TlsSettings.Load(this).ClientCertificate?.Dispose();
    }
}
