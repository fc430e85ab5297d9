using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FedNano.PacsBridge;

/// <summary>
/// The TLS side of one endpoint, loaded from <see cref="DicomWebClientOptions"/>: which CAs to trust (the system store, or a
/// site's own CA bundle) and which client certificate to present. Builds the HTTP handler the clients use and remembers
/// why the last server certificate was refused, so that a failed handshake is reported with its reason rather than
/// .NET's generic "rejected by the validation callback".
/// </summary>
public sealed class TlsSettings
{
    private volatile string? _lastRejection;

    private TlsSettings(X509Certificate2Collection? trustedCas, X509Certificate2? clientCertificate)
    {
        TrustedCas = trustedCas;
        ClientCertificate = clientCertificate;
    }

    /// <summary>The CAs that may issue the server's certificate, or null for the system trust store.</summary>
    public X509Certificate2Collection? TrustedCas { get; }

    /// <summary>The certificate (with its private key) presented to servers that ask for one, or null.</summary>
    public X509Certificate2? ClientCertificate { get; }

    /// <summary>Why the most recent server certificate was refused, or null when none was.</summary>
    public string? LastRejection => _lastRejection;

    /// <summary>Loads the CA bundle and client certificate named in <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">A file is missing, holds no certificate, has no private key, or the password is wrong.</exception>
    public static TlsSettings Load(DicomWebClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        X509Certificate2Collection? cas = null;
        if (!string.IsNullOrEmpty(options.TrustedCaFile))
        {
            RequireFile(options.TrustedCaFile, nameof(options.TrustedCaFile));
            cas = [];
            try
            {
                cas.ImportFromPemFile(options.TrustedCaFile);
            }
            catch (CryptographicException e)
            {
                throw new ArgumentException($"TrustedCaFile '{options.TrustedCaFile}' is not a PEM certificate bundle: {e.Message}", nameof(options.TrustedCaFile), e);
            }
            if (cas.Count == 0)
                throw new ArgumentException($"TrustedCaFile '{options.TrustedCaFile}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).", nameof(options.TrustedCaFile));
        }
        return new TlsSettings(cas, string.IsNullOrEmpty(options.ClientCertificateFile) ? null : LoadClientCertificate(options));
    }

    private static X509Certificate2 LoadClientCertificate(DicomWebClientOptions options)
    {
        var path = options.ClientCertificateFile!;
        RequireFile(path, nameof(options.ClientCertificateFile));
        if (options.ClientCertificateKeyFile is { Length: > 0 } key) RequireFile(key, nameof(options.ClientCertificateKeyFile));
        X509Certificate2 certificate;
        try
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is ".pfx" or ".p12")
                certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.ClientCertificatePassword);
            else if (!string.IsNullOrEmpty(options.ClientCertificatePassword))
                certificate = X509Certificate2.CreateFromEncryptedPemFile(path, options.ClientCertificatePassword, options.ClientCertificateKeyFile);
            else
                certificate = X509Certificate2.CreateFromPemFile(path, options.ClientCertificateKeyFile);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"Client certificate '{path}' could not be loaded (wrong password, or not a PKCS#12 or PEM certificate with its private key): {e.Message}",
                nameof(options.ClientCertificateFile), e);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ArgumentException($"Client certificate '{path}' has no private key; add it to the file or set ClientCertificateKeyFile.", nameof(options.ClientCertificateFile));
        }
        return certificate;
    }

    private static void RequireFile(string path, string setting)
    {
        if (!File.Exists(path)) throw new ArgumentException($"{setting} '{path}' does not exist.", setting);
    }

    /// <summary>An HTTP handler that verifies servers with these settings and presents the client certificate.</summary>
    public SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        handler.SslOptions.RemoteCertificateValidationCallback = Validate;
        if (ClientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [ClientCertificate];
            // Present our certificate whatever CA names the server lists: servers that list none are common.
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => ClientCertificate;
        }
        return handler;
    }

    /// <summary>
    /// The message for a failed request: <paramref name="e"/>'s, plus the recorded reason when the TLS handshake is what failed.
    /// </summary>
    public string Describe(HttpRequestException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is not AuthenticationException) continue;
            return _lastRejection is { } why
                ? $"TLS handshake failed: {why}"
                : $"TLS handshake failed: {inner.Message}{(ClientCertificate is null ? " (the server may require a client certificate: set ClientCertificateFile)" : "")}";
        }
        return e.Message;
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null) return Reject("the server sent no certificate.");
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return Reject($"the server's certificate ({certificate.Subject}) does not name the host that was called.");
        if (TrustedCas is null)
        {
            if (errors == SslPolicyErrors.None) return Accept();
            return Reject($"the server's certificate ({certificate.Subject}, issued by {certificate.Issuer}) is not trusted by the system store ({Statuses(chain)}); "
                + "if a site CA issues it, set TrustedCaFile.");
        }
        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.AddRange(TrustedCas);
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // site PKIs rarely publish CRLs reachable from the bridge
        if (chain is not null)
            foreach (var element in chain.ChainElements) own.ChainPolicy.ExtraStore.Add(element.Certificate);
        using var leaf = new X509Certificate2(certificate);
        return own.Build(leaf)
            ? Accept()
            : Reject($"the server's certificate ({certificate.Subject}, issued by {certificate.Issuer}) does not chain to a CA in TrustedCaFile ({Statuses(own)}).");
    }

    private bool Accept()
    {
        _lastRejection = null;
        return true;
    }

    private bool Reject(string why)
    {
        _lastRejection = why;
        return false;
    }

    private static string Statuses(X509Chain? chain)
    {
        if (chain is null) return "no chain";
        var statuses = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct().ToArray();
        return statuses.Length == 0 ? "untrusted" : string.Join("; ", statuses);
    }
}
