using FedNano.DicomService.Federation;
using FedNano.DicomService.Tests.Api;
using FedNano.FederatedMLLM.Federation;
using FedNano.FederatedMLLM.Protocol;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Training;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Scans;
using FedNano.Reconstruction.Volumes;
using FedNano.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using static TorchSharp.torch;

namespace FedNano.DicomService.Tests.Federation;

/// <summary>The site agent joins with its credential, trains every round it is given, keeps adapters and metrics locally, and retries a lost server.</summary>
public sealed class SiteAgentTests : IDisposable
{
    private readonly TempDirectory _work = new("site-agent");

    public void Dispose() => _work.Dispose();

    private string SiteData(string name, int seed)
    {
        var dir = Path.Combine(_work.Path, name + "-data");
        manual_seed(seed);
        var samples = Enumerable.Range(0, 4).Select(i => new QaSample(i, QuestionType.EffusionPresence, "Is there a pleural effusion?", i % 2 == 0 ? "yes" : "no", $"{name}-{i}")).ToList();
        new QaDataset(randn(4, 3, 128, 128), samples).Save(dir);
        return dir;
    }

    // What a hospital keeps: CT image series (DICOM files) and a text report per study, named after its Study Instance UID.
    private string DicomSiteData(string name)
    {
        var dir = Path.Combine(_work.Path, name + "-dicom");
        for (int seed = 0; seed < 3; seed++)
        {
            var volume = new ChestPhantom().Generate(new VolumeGrid(64, 64, 3, 6, 5, -5), 90_000 + seed).Hounsfield;
            var metadata = ScanUids.Complete(new ScanMetadata($"SITE^{name}^{seed}", $"{name}-{seed}"));
            new CtImageSeriesWriter().Write(volume, metadata, Path.Combine(dir, $"series-{seed}"), new CtSeriesOptions("Chest", 2, "NONE"));
            File.WriteAllText(Path.Combine(dir, metadata.StudyInstanceUid + ".txt"), seed == 1 ? "Small right pleural effusion." : "The lungs are clear and there is no pleural effusion.");
        }
        return dir;
    }

    private SiteAgentOptions Options(string site, string credential, string server, string? data = null) => new()
    {
        ServerUrl = server,
        Credential = credential,
        DataDirectory = data ?? SiteData(site, site.Length),
        OutputDirectory = Path.Combine(_work.Path, site + "-out"),
        Adapters = new NanoAdapterOptions { Rank = 4 },
        Training = new LocalTrainingOptions { Steps = 2, BatchSize = 2, FisherSamples = 2 },
        MaxRetries = 1,
        RetryDelaySeconds = 0.1,
    };

    [Fact]
    public async Task Two_agents_one_reading_DICOM_series_and_reports_run_a_Fisher_federation_to_the_end_keeping_only_adapters_and_metrics()
    {
        using var host = new ApiTestHost(new Dictionary<string, string?>
        {
            ["Reconstruction:AutoReconstruct"] = "false",
            ["Federation:Aggregator"] = "fisher",
            ["Federation:Rounds:MinClients"] = "2",
            ["Federation:Rounds:Rounds"] = "2",
            ["Federation:Adapters:Rank"] = "4",
        });
        _ = host.Server;
        using var channel = GrpcChannel.ForAddress(host.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = host.Server.CreateHandler() });
        var registry = new SiteRegistry(Path.Combine(host.DataDirectory, "sites.json"));
        // One site has a prepared QA dataset, the other only DICOM series and reports.
        var agents = new[] { "kings", "guys" }.Select(s => (Site: s, Options: Options(s, registry.Create(s), host.Server.BaseAddress.ToString(), s == "guys" ? DicomSiteData(s) : null))).ToList();

        var runs = agents.Select(a => Task.Run(() => new SiteAgent(a.Options).RunAsync(channel))).ToArray();
        var results = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromMinutes(3));

        Assert.All(results, r => Assert.Equal([1, 2], r.Select(o => o.Round)));
        Assert.All(results, r => Assert.All(r, o => Assert.True(o.Accepted, o.Reason)));
        foreach (var (site, options) in agents)
        {
            var files = Directory.GetFiles(options.OutputDirectory).Select(f => Path.GetFileName(f)).Order().ToList();
            Assert.Equal(new[] { "adapters-r1.json", "adapters-r2.json", "metrics.csv" }, files);
            Assert.Equal(3, File.ReadAllLines(Path.Combine(options.OutputDirectory, "metrics.csv")).Length);
        }
    }

    [Fact]
    public async Task An_agent_reading_its_DICOMweb_PACS_trains_the_federation_to_the_end()
    {
        using var host = new ApiTestHost(new Dictionary<string, string?>
        {
            ["Reconstruction:AutoReconstruct"] = "false",
            ["Federation:Rounds:MinClients"] = "1",
            ["Federation:Rounds:Rounds"] = "1",
            ["Federation:Adapters:Rank"] = "4",
        });
        // The service's own DICOMweb API stands in for the site's PACS: the CT series and the text reports' series go there, the reports stay in a folder.
        var folder = DicomSiteData("pacs");
        using (var client = host.Client())
            foreach (var series in Directory.GetDirectories(folder))
                await host.StoreAsync(client, [.. Directory.GetFiles(series).Select(File.ReadAllBytes)]);
        using var channel = GrpcChannel.ForAddress(host.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = host.Server.CreateHandler() });
        var options = Options("pacs", new SiteRegistry(Path.Combine(host.DataDirectory, "sites.json")).Create("pacs"), host.Server.BaseAddress.ToString(), data: "");
        options.DataFormat = "dicomweb";
        options.Pacs = new SitePacsOptions { BaseUrl = new Uri(host.Server.BaseAddress, "dicomweb").ToString(), ReportsDirectory = folder };
        var logs = new List<string>();

        var rounds = await new SiteAgent(options, host.Server.CreateHandler()).RunAsync(channel, logs.Add).WaitAsync(TimeSpan.FromMinutes(3));

        Assert.Equal([1], rounds.Select(r => r.Round));
        Assert.True(rounds[0].Accepted, rounds[0].Reason);
        Assert.Contains(logs, l => l.Contains("3 reported CT series from the PACS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_DICOM_folder_without_any_report_is_refused_before_joining()
    {
        var data = DicomSiteData("noreports");
        foreach (var report in Directory.GetFiles(data, "*.txt")) File.Delete(report);
        var options = Options("noreports", "noreports.secret", "http://127.0.0.1:9", data);
        using var channel = GrpcChannel.ForAddress(options.ServerUrl);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new SiteAgent(options).RunAsync(channel));
        Assert.Contains("no report", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_retried_then_reported()
    {
        var options = Options("lost", "lost.secret", "http://127.0.0.1:9");
        using var channel = GrpcChannel.ForAddress(options.ServerUrl);
        var logs = new List<string>();
        var error = await Assert.ThrowsAsync<RpcException>(() => new SiteAgent(options).RunAsync(channel, logs.Add));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains(logs, l => l.Contains("retry 1/1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_credential_that_is_not_site_dot_secret_is_refused_before_connecting()
    {
        var error = Assert.Throws<ArgumentException>(() => Options("x", "nodot", "http://127.0.0.1:9", data: "unused").Validate());
        Assert.Contains("Credential", error.Message);
    }
}
