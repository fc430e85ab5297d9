using FedNano.Testing;

namespace FedNano.PacsBridge.Tests;

/// <summary>
/// A site PKI; our service serving https with a certificate from it; and a PACS over https that requires a client
/// certificate from that PKI (mutual TLS) and Basic credentials: Orthanc behind nginx, the way Orthanc is given TLS in
/// production.
/// </summary>
public sealed class TlsFixture : IAsyncLifetime
{
    /// <summary>The test CA and certificates.</summary>
    public TestPki Pki { get; } = TestPki.Create();

    /// <summary>Our service over https.</summary>
    public ServerProcess Service { get; private set; } = null!;

    /// <summary>Orthanc (plain http on loopback, Basic credentials), or null (<see cref="MissingReason"/>).</summary>
    public OrthancProcess? Orthanc { get; private set; }

    /// <summary>nginx terminating TLS in front of <see cref="Orthanc"/>, client certificates required.</summary>
    public TlsProxyProcess? Proxy { get; private set; }

    /// <summary>The PACS's DICOMweb root over https.</summary>
    public string PacsDicomWebRoot => Proxy!.Root + "/dicom-web";

    /// <summary>Why Orthanc or nginx is missing.</summary>
    public string MissingReason { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Service = await ServerProcess.StartAsync(settings: BridgeFixture.ServiceSettings, https: Pki);
        var exe = OrthancProcess.FindExecutable(out var exeReason);
        var plugin = OrthancProcess.FindPlugin(out var pluginReason);
        var nginx = TlsProxyProcess.FindExecutable(out var nginxReason);
        if (exe is null || plugin is null || nginx is null)
        {
            MissingReason = exe is null ? exeReason : plugin is null ? pluginReason : nginxReason;
            return;
        }
        Orthanc = await OrthancProcess.StartAsync(exe, plugin, Service.DicomWebRoot, PeersFixture.OrthancUser);
        Proxy = await TlsProxyProcess.StartAsync(nginx, $"http://127.0.0.1:{Orthanc.HttpPort}", Pki, requireClientCertificate: true);
    }

    /// <summary>Settings for Orthanc: Basic credentials, the site CA and the client certificate as PEM certificate + key files.</summary>
    public DicomWebClientOptions OrthancOptions() => new()
    {
        BaseUrl = PacsDicomWebRoot, Authentication = DicomWebAuthentication.Basic,
        UserName = PeersFixture.OrthancUser.User, Password = PeersFixture.OrthancUser.Password, TimeoutSeconds = 60,
        TrustedCaFile = Pki.CaPem, ClientCertificateFile = Pki.ClientCertificatePem, ClientCertificateKeyFile = Pki.ClientKeyPem,
    };

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Proxy is not null) await Proxy.DisposeAsync();
        if (Orthanc is not null) await Orthanc.DisposeAsync();
        if (Service is not null) await Service.DisposeAsync();
        Pki.Dispose();
    }
}
