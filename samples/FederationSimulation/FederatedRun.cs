using System.Globalization;
using FedNano.FederatedMLLM.Federation;
using FedNano.Testing;

namespace FedNano.Samples.FederationSimulation;

/// <summary>What one site sent and received in one round (from its fednano-site metrics.csv).</summary>
public sealed record SiteRoundTraffic(string Site, int Round, long ActivationBytesUp, long ActivationBytesDown, long AdapterBytesUp, long FisherBytesUp, long AdapterBytesDown, double Seconds);

/// <summary>A finished federation: the last global adapters, the server's round records and the sites' traffic.</summary>
public sealed record FederatedRunResult(string Aggregator, AdapterSet Global, IReadOnlyList<RoundRecord> Rounds, IReadOnlyList<SiteRoundTraffic> Traffic, double WallSeconds);

/// <summary>
/// Runs one federation for real: the FedNano service process with its h2c gRPC endpoint, a credential per site from
/// the operator command (<c>sites add</c>), and one <c>fednano-site</c> process per site on its own DICOM folder.
/// </summary>
public static class FederatedRun
{
    /// <summary>Runs until the federation is finished and every agent has exited.</summary>
    /// <param name="name">The run's name (its scratch folder).</param>
    /// <param name="aggregator">The server's Federation:Aggregator.</param>
    /// <param name="imageTokenPooling">Visual-token pooling at the server and every site (1: none).</param>
    /// <param name="sites">The sites, one agent process each.</param>
    /// <param name="settings">Rounds, steps and adapter shape.</param>
    /// <param name="work">Scratch folder.</param>
    /// <param name="log">Progress lines.</param>
    public static async Task<FederatedRunResult> RunAsync(string name, string aggregator, int imageTokenPooling, IReadOnlyList<SimulatedSite> sites, SimulationSettings settings, string work, Action<string> log)
    {
        var data = Path.Combine(work, name, "service");
        if (Directory.Exists(Path.Combine(work, name))) Directory.Delete(Path.Combine(work, name), recursive: true);
        Directory.CreateDirectory(data);
        var dotnet = ServerProcess.FindDotnet();
        var serverDll = ServerProcess.FindServerDll();
        var credentials = new Dictionary<string, string>();
        foreach (var site in sites)
        {
            using var add = ChildProcess.Start("sites-add", dotnet, [serverDll, "sites", "add", site.Id], Path.GetDirectoryName(serverDll),
                new Dictionary<string, string?> { ["Storage__DataDirectory"] = data, ["ASPNETCORE_ENVIRONMENT"] = "Production" });
            while (!add.HasExited) await Task.Delay(100).ConfigureAwait(false);
            if (add.ExitCode != 0) throw new InvalidOperationException($"sites add {site.Id} failed: {add.OutputTail()}");
            credentials[site.Id] = add.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith(site.Id + ".", StringComparison.Ordinal));
        }
        int grpcPort = ChildProcess.FreePort();
        var inv = CultureInfo.InvariantCulture;
        await using var server = await ServerProcess.StartAsync(data, TimeSpan.FromSeconds(120),
        [
            "--Reconstruction:AutoReconstruct=false", $"--Federation:GrpcUrl=http://127.0.0.1:{grpcPort}", $"--Federation:Aggregator={aggregator}",
            $"--Federation:FedProxMu={settings.FedProxMu.ToString(inv)}", $"--Federation:Rounds:MinClients={sites.Count}", $"--Federation:Rounds:Rounds={settings.Rounds}",
            $"--Federation:Adapters:Rank={settings.Rank}", $"--Federation:Adapters:Alpha={settings.AdapterAlpha.ToString(inv)}", $"--Federation:AdapterSeed={settings.Seed}",
            $"--Federation:Adapters:ImageTokenPooling={imageTokenPooling}",
        ]).ConfigureAwait(false);
        var agentDll = Path.Combine(AppContext.BaseDirectory, "fednano-site.dll");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var agents = sites.Select((site, i) => ChildProcess.Start(site.Id, dotnet,
        [
            agentDll, $"--ServerUrl=http://127.0.0.1:{grpcPort}", $"--Credential={credentials[site.Id]}", $"--DataDirectory={site.TrainDirectory}", "--DataFormat=dicom",
            $"--OutputDirectory={Path.Combine(work, name, site.Id)}", $"--Adapters:Rank={settings.Rank}", $"--Adapters:Alpha={settings.AdapterAlpha.ToString(inv)}",
            $"--Training:Steps={settings.Steps}", $"--Training:BatchSize={settings.BatchSize}", $"--Training:LearningRate={settings.LearningRate.ToString(inv)}",
            $"--Training:ActivationPrecision={settings.ActivationPrecision}", $"--Training:FisherSamples={settings.FisherSamples}", $"--Seed={settings.Seed + i}", $"--Adapters:ImageTokenPooling={imageTokenPooling}",
        ], AppContext.BaseDirectory)).ToList();
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(10 * settings.Rounds);
            int reported = 0;
            while (agents.Any(a => !a.HasExited) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(1000).ConfigureAwait(false);
                int done = sites.Min(s => Math.Max(0, ReadLines(Path.Combine(work, name, s.Id, "metrics.csv")).Count - 1));
                if (done > reported) { reported = done; log($"  {name}: round {done}/{settings.Rounds} done by every site ({watch.Elapsed.TotalSeconds:F0} s)"); }
            }
            foreach (var a in agents)
                if (a.ExitCode != 0) throw new InvalidOperationException($"fednano-site {a.Name} exit {a.ExitCode?.ToString(inv) ?? "(still running)"}:\n{a.OutputTail()}\nservice:\n{server.OutputTail()}");
        }
        finally
        {
            // Each agent's console (retries, rejected updates) next to its metrics, for reading a run afterwards.
            foreach (var (a, site) in agents.Zip(sites)) File.WriteAllText(Path.Combine(work, name, site.Id, "agent.log"), a.Output);
            foreach (var a in agents) a.Dispose();
        }
        double wall = watch.Elapsed.TotalSeconds;
        await server.StopAsync().ConfigureAwait(false);
        File.WriteAllText(Path.Combine(work, name, "service.log"), server.OutputTail(int.MaxValue));
        var snapshot = FederationSnapshot.Load(Path.Combine(data, "federation.json")) ?? throw new InvalidOperationException("The service left no federation snapshot.");
        var traffic = sites.SelectMany(s => Traffic(s.Id, Path.Combine(work, name, s.Id, "metrics.csv"))).ToList();
        return new FederatedRunResult(aggregator, snapshot.GlobalAdapters(), snapshot.Rounds, traffic, wall);
    }

    private static List<string> ReadLines(string path)
    {
        try { return File.Exists(path) ? File.ReadAllLines(path).ToList() : []; }
        catch (IOException) { return []; }
    }

    // metrics.csv counters are cumulative; a round's traffic is the difference to the previous row.
    private static IEnumerable<SiteRoundTraffic> Traffic(string site, string metrics)
    {
        var lines = File.ReadAllLines(metrics);
        var header = lines[0].Split(',').Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        long[] previous = new long[5];
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            long Get(string name) => long.Parse(f[header[name]], CultureInfo.InvariantCulture);
            var now = new[] { Get("activation_bytes_up"), Get("activation_bytes_down"), Get("adapter_bytes_up"), Get("fisher_bytes_up"), Get("adapter_bytes_down") };
            yield return new SiteRoundTraffic(site, int.Parse(f[header["round"]], CultureInfo.InvariantCulture), now[0] - previous[0], now[1] - previous[1], now[2] - previous[2],
                now[3] - previous[3], now[4] - previous[4], double.Parse(f[header["train_seconds"]], CultureInfo.InvariantCulture));
            previous = now;
        }
    }
}
