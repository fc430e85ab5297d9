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
}
