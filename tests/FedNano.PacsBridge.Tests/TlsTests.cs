using FedNano.Dicom;
using FedNano.Testing;
using Xunit.Abstractions;

namespace FedNano.PacsBridge.Tests;

/// <summary>
/// TLS towards real peers: a PACS over https requiring client certificates (Orthanc 1.10 behind nginx, mutual TLS), and
/// our service under Kestrel https, both with certificates from a site CA that the system does not trust.
/// </summary>
[Trait("Category", "Peers")]
public sealed class TlsTests(TlsFixture peers, ITestOutputHelper output) : IClassFixture<TlsFixture>
{
    private bool OrthancMissing()
    {
        if (peers.Orthanc is not null) return false;
        PeerTool.Missing(peers.MissingReason, output);
        return true;
    }

    private string Logs() => $"--- fednano ---\n{peers.Service.OutputTail()}\n--- orthanc ---\n{peers.Orthanc?.OutputTail()}\n--- nginx ---\n{peers.Proxy?.OutputTail()}";

    [Fact]
    public async Task With_the_site_CA_and_a_PEM_client_certificate_the_client_stores_searches_and_retrieves_over_mutual_TLS()
    {
        if (OrthancMissing()) return;
        using var client = new DicomWebClient(peers.OrthancOptions());
        var study = Instances.Study(2, rows: 16, columns: 16);

        var stored = await client.StoreAsync(study.Files.Select(f => (StowPart)f).ToList());
        var found = await client.SearchInstancesAsync(study.Study, study.Series);
        var retrieved = new List<DicomDataset>();
        await foreach (var part in client.RetrieveAsync(study.Study, study.Series)) retrieved.Add(DicomFile.Read(part).Dataset);

        Assert.True(stored.AllStored, Logs());
        Assert.Equal(2, found.Count);
        Assert.Equal(study.Sops.Order(), retrieved.Select(d => d.GetString(DicomTags.SOPInstanceUID)!).Order());
    }

    [Fact]
    public async Task A_PKCS12_client_certificate_with_its_password_is_accepted()
    {
        if (OrthancMissing()) return;
        var options = peers.OrthancOptions();
        options.ClientCertificateFile = peers.Pki.ClientPfx;
        options.ClientCertificateKeyFile = null;
        options.ClientCertificatePassword = TestPki.PfxPassword;
        using var client = new DicomWebClient(options);

        Assert.NotNull(await client.SearchStudiesAsync());
    }

    [Fact]
    public async Task Without_the_site_CA_the_server_certificate_is_refused_with_the_reason_and_a_hint()
    {
        if (OrthancMissing()) return;
        var options = peers.OrthancOptions();
        options.TrustedCaFile = null;
        using var client = new DicomWebClient(options);

        var e = await Assert.ThrowsAsync<DicomWebException>(() => client.SearchStudiesAsync());

        Assert.Contains("TLS handshake failed", e.Message);
        Assert.Contains("not trusted by the system store", e.Message);
        Assert.Contains("TrustedCaFile", e.Message);
        Assert.Null(e.StatusCode);
    }

    [Fact]
    public async Task A_CA_bundle_that_did_not_issue_the_server_certificate_is_refused()
    {
        if (OrthancMissing()) return;
        var options = peers.OrthancOptions();
        options.TrustedCaFile = peers.Pki.OtherCaPem;
        using var client = new DicomWebClient(options);

        var e = await Assert.ThrowsAsync<DicomWebException>(() => client.SearchStudiesAsync());

        Assert.Contains("does not chain to a CA in TrustedCaFile", e.Message);
        Assert.Contains("FedNano Test Site CA", e.Message); // names the issuer the operator has to add
    }

    [Fact]
    public async Task A_PACS_requiring_client_certificates_refuses_a_client_without_one()
    {
        if (OrthancMissing()) return;
        var options = peers.OrthancOptions();
        options.ClientCertificateFile = null;
        options.ClientCertificateKeyFile = null;
        using var client = new DicomWebClient(options);

        var e = await Assert.ThrowsAsync<DicomWebException>(() => client.SearchStudiesAsync());

        // nginx completes the handshake and answers 400 with its reason; not worth retrying until the settings change.
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Contains("No required SSL certificate was sent", e.Message);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task The_PACS_refuses_a_client_certificate_that_the_site_CA_did_not_issue()
    {
        if (OrthancMissing()) return;
        var options = peers.OrthancOptions();
        options.ClientCertificateFile = peers.Pki.StrangerCertificateAndKeyPem;
        options.ClientCertificateKeyFile = null;
        using var client = new DicomWebClient(options);

        var e = await Assert.ThrowsAsync<DicomWebException>(() => client.SearchStudiesAsync());

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Contains("SSL certificate error", e.Message);
    }

    [Fact]
    public async Task Our_service_under_Kestrel_https_is_reached_with_the_site_CA_for_DICOMweb_and_the_jobs_API()
    {
        var options = new DicomWebClientOptions { BaseUrl = peers.Service.DicomWebRoot, TrustedCaFile = peers.Pki.CaPem, TimeoutSeconds = 60 };
        using var dicomWeb = new DicomWebClient(options);
        using var jobs = new ReconstructionServiceClient(options.WithBaseUrl(peers.Service.BaseAddress.ToString()));
        var study = Instances.Study(1, rows: 16, columns: 16);

        var stored = await dicomWeb.StoreAsync(study.Files.Select(f => (StowPart)f).ToList());
        var listed = await jobs.ListForSeriesAsync(study.Series);

        Assert.True(stored.AllStored);
        Assert.Single(await dicomWeb.SearchInstancesAsync(study.Study, study.Series));
        Assert.Empty(listed);
    }

    [Fact]
    public async Task The_bridge_does_the_round_trip_when_the_PACS_wants_mutual_TLS_and_the_service_serves_https()
    {
        if (OrthancMissing()) return;
        using var work = new TempDirectory("bridge-tls");
        var scan = RawScan.NewSeries();
        using (var pacs = new DicomWebClient(peers.OrthancOptions()))
            for (int i = 0; i < scan.Views.Length; i += 100)
                Assert.True((await pacs.StoreAsync(scan.Views.Skip(i).Take(100).Select(v => (StowPart)v).ToList())).AllStored);
        var options = new BridgeOptions
        {
            Source = peers.OrthancOptions(),
            Service = new DicomWebClientOptions { BaseUrl = peers.Service.BaseAddress.ToString(), TrustedCaFile = peers.Pki.CaPem, TimeoutSeconds = 30 },
            Discovery = new DiscoveryOptions { StableAgeSeconds = 0, LookbackDays = 0 },
            Rules = [new RoutingRule { Name = "raw-ct", Modality = "CT", Method = "ssr-fbp" }],
            StateDatabase = work.Combine("state.db"),
            InitialBackoffSeconds = 0.05, MaxBackoffSeconds = 0.2, JobPollIntervalSeconds = 0.2,
        };

        using var bridge = new Bridge(options);
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        BridgeSeries? row = null;
        while (DateTime.UtcNow < until)
        {
            await bridge.RunOnceAsync();
            row = bridge.State.Get(scan.Series);
            if (row is { State: BridgeSeriesState.Done or BridgeSeriesState.DeadLetter or BridgeSeriesState.Ignored }) break;
            await Task.Delay(200);
        }

        Assert.True(row is { State: BridgeSeriesState.Done }, $"{row}\n{Logs()}");
        using var check = new DicomWebClient(peers.OrthancOptions());
        var series = await check.SearchSeriesAsync(scan.Study, [new("includefield", "00201209")]);
        var result = Assert.Single(series, s => s.GetString(DicomTags.SeriesInstanceUID) == row!.OutputSeriesInstanceUid);
        Assert.Equal(row!.PushedInstances, result.GetValue<int>(DicomTags.NumberOfSeriesRelatedInstances));
    }
}
