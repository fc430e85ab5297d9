using FedNano.Testing;

namespace FedNano.PacsBridge.Tests;

/// <summary>TLS settings are checked when a client is created, so a wrong file or password stops start-up with the reason.</summary>
public sealed class TlsSettingsTests(TlsSettingsTests.Pki pki) : IClassFixture<TlsSettingsTests.Pki>, IDisposable
{
    /// <summary>One PKI for the class (RSA key generation takes a second or two).</summary>
    public sealed class Pki : IDisposable
    {
        /// <summary>The certificates.</summary>
        public TestPki Files { get; } = TestPki.Create();

        /// <inheritdoc />
        public void Dispose() => Files.Dispose();
    }

    private readonly TestPki _pki = pki.Files;
    private readonly TempDirectory _work = new("tls-settings");

    public void Dispose() => _work.Dispose();

    private static DicomWebClientOptions Https() => new() { BaseUrl = "https://pacs.example.org/dicom-web" };

    private static ArgumentException Refused(DicomWebClientOptions options) => Assert.Throws<ArgumentException>(() => new DicomWebClient(options));

    [Fact]
    public void A_missing_CA_file_is_refused_naming_the_setting_and_the_path()
    {
        var options = Https();
        options.TrustedCaFile = _work.Combine("nope.pem");

        var e = Refused(options);

        Assert.Contains("TrustedCaFile", e.Message);
        Assert.Contains("nope.pem", e.Message);
    }

    [Fact]
    public void A_CA_file_without_a_PEM_certificate_is_refused()
    {
        var options = Https();
        options.TrustedCaFile = _work.Combine("empty.pem");
        File.WriteAllText(options.TrustedCaFile, "not a certificate\n");

        Assert.Contains("holds no PEM certificate", Refused(options).Message);
    }

    [Fact]
    public void A_PEM_client_certificate_without_its_key_is_refused()
    {
        var options = Https();
        options.ClientCertificateFile = _pki.ClientCertificatePem;

        Assert.Contains("could not be loaded", Refused(options).Message);
    }

    [Fact]
    public void A_PKCS12_client_certificate_with_a_wrong_password_is_refused()
    {
        var options = Https();
        options.ClientCertificateFile = _pki.ClientPfx;
        options.ClientCertificatePassword = "wrong";

        Assert.Contains("wrong password", Refused(options).Message);
    }

    [Fact]
    public void A_key_file_without_a_certificate_file_is_refused()
    {
        var options = Https();
        options.ClientCertificateKeyFile = _pki.ClientKeyPem;

        Assert.Contains("without ClientCertificateFile", Refused(options).Message);
    }

    [Fact]
    public void Valid_files_load_the_CA_and_the_client_certificate_with_its_key()
    {
        var options = Https();
        options.TrustedCaFile = _pki.CaPem;
        options.ClientCertificateFile = _pki.ClientCertificatePem;
        options.ClientCertificateKeyFile = _pki.ClientKeyPem;

        var tls = TlsSettings.Load(options);

        Assert.Equal(_pki.Ca.Thumbprint, Assert.Single(tls.TrustedCas!).Thumbprint);
        Assert.True(tls.ClientCertificate!.HasPrivateKey);
        Assert.Contains("pacsbridge-test-site", tls.ClientCertificate.Subject);
    }
}
