using System.Text.Json;
using FedNano.DicomService.Federation;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Training;
using FedNano.Testing;
using static TorchSharp.torch;

namespace FedNano.DicomService.Tests.Federation;

/// <summary>The real thing on loopback: the service as a process with its h2c gRPC endpoint, and three fednano-site processes.</summary>
public sealed class FederationProcessTests : IDisposable
{
    private readonly TempDirectory _work = new("federation-processes");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Three_site_agent_processes_complete_two_rounds_against_the_service_process()
    {
        int grpcPort = ChildProcess.FreePort();
        await using var server = await ServerProcess.StartAsync(settings:
        [
            "--Reconstruction:AutoReconstruct=false", $"--Federation:GrpcUrl=http://127.0.0.1:{grpcPort}", "--Federation:Aggregator=fedavg",
            "--Federation:Rounds:MinClients=3", "--Federation:Rounds:Rounds=2", "--Federation:Adapters:Rank=4",
        ]);
        var registry = new SiteRegistry(Path.Combine(server.DataDirectory, "sites.json"));
        var agentDll = Path.Combine(AppContext.BaseDirectory, "fednano-site.dll");
        var sites = new[] { "leeds", "york", "hull" };
        var agents = sites.Select((site, i) =>
        {
            var data = _work.Combine(site + "-data");
            manual_seed(i + 1);
            var samples = Enumerable.Range(0, 4).Select(k => new QaSample(k, QuestionType.EffusionPresence, "Is there a pleural effusion?", k % 2 == 0 ? "yes" : "no", $"{site}-{k}")).ToList();
            new QaDataset(randn(4, 3, 128, 128), samples).Save(data);
            return ChildProcess.Start(site, ServerProcess.FindDotnet(),
                [agentDll, $"--ServerUrl=http://127.0.0.1:{grpcPort}", $"--Credential={registry.Create(site)}", $"--DataDirectory={data}",
                    $"--OutputDirectory={_work.Combine(site + "-out")}", "--Adapters:Rank=4", "--Training:Steps=2", "--Training:BatchSize=2", "--Training:ActivationPrecision=fp16"],
                workingDirectory: AppContext.BaseDirectory);
        }).ToList();
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(4);
            while (agents.Any(a => !a.HasExited) && DateTime.UtcNow < deadline) await Task.Delay(250);
            foreach (var a in agents) Assert.True(a.ExitCode == 0, $"{a.Name} exit {a.ExitCode}: {a.OutputTail()}");
            foreach (var site in sites)
                Assert.Equal(3, File.ReadAllLines(Path.Combine(_work.Combine(site + "-out"), "metrics.csv")).Length); // header + 2 rounds

            var state = JsonDocument.Parse(await server.Http.GetStringAsync("/api/federation")).RootElement;
            Assert.Equal("v2", state.GetProperty("globalVersion").GetString());
            Assert.All(state.GetProperty("rounds").EnumerateArray(), r => Assert.Equal(3, r.GetProperty("accepted").EnumerateObject().Count()));
        }
        finally
        {
            foreach (var a in agents) a.Dispose();
        }
    }

    [Fact]
    public async Task A_site_whose_PACS_cannot_be_reached_exits_4_naming_the_PACS()
    {
        Directory.CreateDirectory(_work.Combine("reports"));
        using var agent = ChildProcess.Start("no-pacs", ServerProcess.FindDotnet(),
            [Path.Combine(AppContext.BaseDirectory, "fednano-site.dll"), "--ServerUrl=http://127.0.0.1:9", "--Credential=lost.secret", "--DataFormat=dicomweb",
                "--Pacs:BaseUrl=http://127.0.0.1:9/dicom-web", $"--Pacs:ReportsDirectory={_work.Combine("reports")}", "--Pacs:Retries=0", $"--OutputDirectory={_work.Combine("no-pacs-out")}"],
            workingDirectory: AppContext.BaseDirectory);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!agent.HasExited && DateTime.UtcNow < deadline) await Task.Delay(100);

        Assert.True(agent.ExitCode == 4, $"exit {agent.ExitCode}: {agent.OutputTail()}");
        Assert.Contains("the site's PACS cannot be read", agent.Output, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:9/dicom-web/series", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_restarted_mid_federation_resumes_and_the_agent_carries_on()
    {
        int grpcPort = ChildProcess.FreePort(), httpPort = ChildProcess.FreePort();
        var dataDirectory = _work.Combine("service-data");
        Directory.CreateDirectory(dataDirectory);
        string[] settings =
        [
            "--Reconstruction:AutoReconstruct=false", $"--Federation:GrpcUrl=http://127.0.0.1:{grpcPort}", "--Federation:Aggregator=fedavg",
            "--Federation:Rounds:MinClients=1", "--Federation:Rounds:Rounds=3", "--Federation:Adapters:Rank=4",
        ];
        var server = await ServerProcess.StartAsync(dataDirectory, settings: settings, port: httpPort);
        var credential = new SiteRegistry(Path.Combine(dataDirectory, "sites.json")).Create("leeds");
        var data = _work.Combine("leeds-data");
        manual_seed(4);
        new QaDataset(randn(2, 3, 128, 128), [new QaSample(0, QuestionType.EffusionPresence, "Is there a pleural effusion?", "yes", "a"), new QaSample(1, QuestionType.EffusionPresence, "Is there a pleural effusion?", "no", "b")]).Save(data);
        var output = _work.Combine("leeds-out");
        using var agent = ChildProcess.Start("leeds", ServerProcess.FindDotnet(),
            [Path.Combine(AppContext.BaseDirectory, "fednano-site.dll"), $"--ServerUrl=http://127.0.0.1:{grpcPort}", $"--Credential={credential}", $"--DataDirectory={data}",
                $"--OutputDirectory={output}", "--Adapters:Rank=4", "--Training:Steps=20", "--Training:BatchSize=2", "--MaxRetries=30", "--RetryDelaySeconds=0.5"],
            workingDirectory: AppContext.BaseDirectory);
        try
        {
            var metrics = Path.Combine(output, "metrics.csv");
            var until = DateTime.UtcNow.AddMinutes(2);
            while ((!File.Exists(metrics) || File.ReadAllLines(metrics).Length < 2) && DateTime.UtcNow < until) await Task.Delay(100);
            Assert.True(File.Exists(metrics) && File.ReadAllLines(metrics).Length >= 2, agent.OutputTail());
            server.Kill(); // mid-federation: round 1 is in, round 2 is training
            await server.DisposeAsync();
            server = await ServerProcess.StartAsync(dataDirectory, settings: settings, port: httpPort);

            until = DateTime.UtcNow.AddMinutes(3);
            while (!agent.HasExited && DateTime.UtcNow < until) await Task.Delay(250);
            Assert.True(agent.ExitCode == 0, $"exit {agent.ExitCode}: {agent.OutputTail()}");
            var state = JsonDocument.Parse(await server.Http.GetStringAsync("/api/federation")).RootElement;
            Assert.Equal("v3", state.GetProperty("globalVersion").GetString());
            Assert.Contains("\"resumed\"", File.ReadAllText(Path.Combine(dataDirectory, "federation-audit.jsonl")));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
