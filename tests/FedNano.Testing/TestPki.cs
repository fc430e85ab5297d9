using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FedNano.Testing;

/// <summary>
/// A throw-away site PKI written to a temporary directory: a root CA, a server certificate for 127.0.0.1/localhost and a
/// client certificate, both issued by it, and an unrelated second CA (for "wrong CA" cases). Files come as PEM
/// (certificate, key, certificate + key) and PKCS#12 so that each peer can take the format it reads.
/// </summary>
public sealed class TestPki : IDisposable
{
    /// <summary>Password of the PKCS#12 files.</summary>
    public const string PfxPassword = "test-pfx-pw";

    private readonly TempDirectory _directory;

    private TestPki(TempDirectory directory) => _directory = directory;

    /// <summary>The root CA (public part).</summary>
    public X509Certificate2 Ca { get; private set; } = null!;

    /// <summary><c>ca.pem</c>: the CA certificate.</summary>
    public string CaPem => _directory.Combine("ca.pem");

    /// <summary><c>other-ca.pem</c>: a CA that issued nothing here.</summary>
    public string OtherCaPem => _directory.Combine("other-ca.pem");

    /// <summary><c>server.pem</c>: server certificate followed by its private key (the form Orthanc's SslCertificate takes).</summary>
    public string ServerCertificateAndKeyPem => _directory.Combine("server.pem");

    /// <summary><c>server.pfx</c>: server certificate and key (the form Kestrel's certificate settings take), password <see cref="PfxPassword"/>.</summary>
    public string ServerPfx => _directory.Combine("server.pfx");

    /// <summary><c>client.crt</c>: the client certificate alone (PEM).</summary>
    public string ClientCertificatePem => _directory.Combine("client.crt");

    /// <summary><c>client.key</c>: the client's private key (PEM, PKCS#8).</summary>
    public string ClientKeyPem => _directory.Combine("client.key");

    /// <summary><c>client.pfx</c>: client certificate and key, password <see cref="PfxPassword"/>.</summary>
    public string ClientPfx => _directory.Combine("client.pfx");

    /// <summary><c>client-self.pem</c>: a self-signed client certificate + key that no CA here issued.</summary>
    public string StrangerCertificateAndKeyPem => _directory.Combine("client-self.pem");

    /// <summary>Creates the CA and certificates (RSA 2048, valid from yesterday for 30 days).</summary>
    public static TestPki Create()
    {
        var pki = new TestPki(new TempDirectory("pki"));
        pki.Write();
        return pki;
    }

    private void Write()
    {
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = notBefore.AddDays(30);

        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=FedNano Test Site CA, O=FedNano tests", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter.AddDays(1));
        Ca = X509CertificateLoader.LoadCertificate(ca.RawData);
        File.WriteAllText(CaPem, ca.ExportCertificatePem() + "\n");

        using var otherKey = RSA.Create(2048);
        var otherRequest = new CertificateRequest("CN=Unrelated Test CA", otherKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        otherRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var other = otherRequest.CreateSelfSigned(notBefore, notAfter);
        File.WriteAllText(OtherCaPem, other.ExportCertificatePem() + "\n");

        using var serverKey = RSA.Create(2048);
        var serverRequest = LeafRequest("CN=127.0.0.1, O=FedNano tests", serverKey, "1.3.6.1.5.5.7.3.1");
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(san.Build());
        using var server = Issue(serverRequest, ca, caKey, notBefore, notAfter);
        using var serverWithKey = server.CopyWithPrivateKey(serverKey);
        File.WriteAllText(ServerCertificateAndKeyPem, server.ExportCertificatePem() + "\n" + serverKey.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllBytes(ServerPfx, serverWithKey.Export(X509ContentType.Pkcs12, PfxPassword));

        using var clientKey = RSA.Create(2048);
        using var client = Issue(LeafRequest("CN=pacsbridge-test-site, O=FedNano tests", clientKey, "1.3.6.1.5.5.7.3.2"), ca, caKey, notBefore, notAfter);
        using var clientWithKey = client.CopyWithPrivateKey(clientKey);
        File.WriteAllText(ClientCertificatePem, client.ExportCertificatePem() + "\n");
        File.WriteAllText(ClientKeyPem, clientKey.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllBytes(ClientPfx, clientWithKey.Export(X509ContentType.Pkcs12, PfxPassword));

        using var strangerKey = RSA.Create(2048);
        using var stranger = LeafRequest("CN=stranger", strangerKey, "1.3.6.1.5.5.7.3.2").CreateSelfSigned(notBefore, notAfter);
        File.WriteAllText(StrangerCertificateAndKeyPem, stranger.ExportCertificatePem() + "\n" + strangerKey.ExportPkcs8PrivateKeyPem() + "\n");
    }

    private static CertificateRequest LeafRequest(string subject, RSA key, string extendedUsageOid)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedUsageOid)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static X509Certificate2 Issue(CertificateRequest request, X509Certificate2 ca, RSA caKey, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return request.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1), notBefore, notAfter, serial);
    }

    /// <summary>A handler for test clients that trusts exactly this CA (and presents <paramref name="clientCertificate"/> when given).</summary>
    public HttpMessageHandler TrustingHandler(X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(Ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(leaf);
        };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }
        return handler;
    }

    /// <summary>The client certificate with its key, loaded from <see cref="ClientPfx"/>.</summary>
    public X509Certificate2 LoadClientCertificate() => X509CertificateLoader.LoadPkcs12FromFile(ClientPfx, PfxPassword);

    /// <summary>Deletes the files.</summary>
    public void Dispose()
    {
        Ca?.Dispose();
        _directory.Dispose();
    }
}
