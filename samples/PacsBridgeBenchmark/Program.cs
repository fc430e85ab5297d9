// PACS-to-PACS benchmark: raw scans stored in a running Orthanc come back into it as CT series through the bridge and
// a running FedNano service. Prints the latency of one scan split by the bridge's steps, and the throughput of a queue.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using FedNano.Dicom;
using FedNano.PacsBridge;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Scans;
using FedNano.Reconstruction.Workflows;

var inv = CultureInfo.InvariantCulture;
string pacs = Arg("--pacs") ?? "http://127.0.0.1:8042/dicom-web";
string? orthancRest = Arg("--orthanc");
string service = Arg("--service") ?? "http://127.0.0.1:5080";
int queue = int.Parse(Arg("--scans") ?? "10", inv);
string? method = Arg("--method");
string? user = Arg("--user"), password = Arg("--password");
string? results = Arg("--results");
int concurrency = int.Parse(Arg("--concurrency") ?? "2", inv);
if (args.Contains("--help"))
{
    Console.WriteLine("Usage: FedNano.Samples.PacsBridgeBenchmark [--pacs DICOMWEB-URL] [--orthanc REST-URL (use Orthanc's changes feed)] [--service URL] [--scans 10] [--method M] [--user U --password P] [--concurrency 2 (Bridge:MaxConcurrentSeries)] [--results DIR]");
    return 0;
}

var source = new DicomWebClientOptions { BaseUrl = pacs, TimeoutSeconds = 300 };
if (user is not null) { source.Authentication = DicomWebAuthentication.Basic; source.UserName = user; source.Password = password; }
var work = Directory.CreateTempSubdirectory("fednano-bridge-bench-").FullName;
Console.Error.WriteLine("simulating the demo scan (small-sparse, chest seed 1001, I0 1e5) …");
var simulated = CaseSimulator.Simulate(new SimulationRequest { Seed = 1001, IncidentPhotons = 1e5 }).Scan;
using var pacsClient = new DicomWebClient(source);

try
{
    // 1. One scan alone: latency from "complete in the PACS" to "CT series stored in the PACS".
    var single = await StoreScanAsync();
    var (latency, steps) = await RoundTripAsync([single], "single");
    // 2. A queue: all scans stored first, then the bridge drains it.
    var batch = new List<(string Study, string Series)>();
    var storeClock = Stopwatch.StartNew();
    for (int i = 0; i < queue; i++) batch.Add(await StoreScanAsync());
    Console.Error.WriteLine(string.Create(inv, $"stored {queue} scans in the PACS in {storeClock.Elapsed.TotalSeconds:F0} s"));
    var (drain, _) = await RoundTripAsync(batch, "queue");
    // How busy the service was while the queue drained: its jobs' run times and the gaps between them.
    using var jobsClient = new ReconstructionServiceClient(new DicomWebClientOptions { BaseUrl = service, TimeoutSeconds = 60 });
    var runs = new List<(DateTimeOffset Start, DateTimeOffset End)>();
    foreach (var (_, series) in batch)
        if ((await jobsClient.ListForSeriesAsync(series)).FirstOrDefault(j => j.Status == "succeeded") is { StartedAt: { } a, FinishedAt: { } b }) runs.Add((a, b));
    runs.Sort((x, y) => x.Start.CompareTo(y.Start));
    double meanJob = runs.Average(r => (r.End - r.Start).TotalSeconds);
    double busy = runs.Sum(r => (r.End - r.Start).TotalSeconds) / (runs[^1].End - runs[0].Start).TotalSeconds;
    long peakMiB = Process.GetCurrentProcess().PeakWorkingSet64 >> 20;

    var sb = new StringBuilder();
    sb.AppendLine("<!-- generated:start -->");
    sb.AppendLine("| step (one scan) | seconds | share |");
    sb.AppendLine("|---|---:|---:|");
    foreach (var (name, seconds) in steps) sb.AppendLine(string.Create(inv, $"| {name} | {seconds:F1} | {100 * seconds / latency:F0} % |"));
    sb.AppendLine(string.Create(inv, $"| **PACS → PACS latency** | **{latency:F1}** | 100 % |"));
    sb.AppendLine();
    sb.AppendLine(string.Create(inv, $"Queue of {queue} scans: drained in {drain:F0} s, {drain / queue:F1} s per scan, {3600 * queue / drain:F0} scans per hour; latency ÷ the service's own job time for one scan: {latency / steps.First(s => s.Name.StartsWith("reconstruction", StringComparison.Ordinal)).Seconds:F2}; {concurrency} series in progress at once; during the queue a job ran {meanJob:F1} s on average and the service was busy {100 * busy:F0} % of the time from the first job's start to the last one's end."));
    sb.AppendLine();
    sb.AppendLine(string.Create(inv, $"Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: PACS {pacs}{(orthancRest is null ? " (QIDO discovery, StableAge 2 s)" : " (Orthanc changes feed)")}, service {service}, method {method ?? "service default"}; {simulated.Views} views per scan; {Environment.ProcessorCount} cores; bridge peak resident memory {peakMiB} MiB."));
    sb.Append("<!-- generated:end -->");
    Console.WriteLine(sb.ToString());
    if (results is not null)
    {
        var path = Path.Combine(results, "RESULTS.md");
        var old = File.ReadAllText(path);
        int a = old.IndexOf("<!-- generated:start -->", StringComparison.Ordinal), b = old.IndexOf("<!-- generated:end -->", StringComparison.Ordinal);
        File.WriteAllText(path, old[..a] + sb + old[(b + "<!-- generated:end -->".Length)..]);
    }
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}

async Task<(string Study, string Series)> StoreScanAsync()
{
    var scan = new ProjectionScan(simulated.Geometry, simulated.RowPattern, simulated.LineIntegrals, simulated.ViewAngleRad, simulated.ViewZMm,
        simulated.MuWaterPerMm, ScanUids.Complete(simulated.Metadata with { PatientId = "BENCH-" + Guid.NewGuid().ToString("N")[..8] }), simulated.PhotonsPerChannel);
    var views = new DicomCtPdWriter().ToDatasets(scan).Select(ds =>
    {
        using var ms = new MemoryStream();
        new DicomFile(ds).Save(ms, DicomTransferSyntax.ExplicitVRLittleEndian);
        return ms.ToArray();
    }).ToList();
    for (int i = 0; i < views.Count; i += 128)
    {
        var r = await pacsClient.StoreAsync(views.Skip(i).Take(128).Select(v => (StowPart)v).ToList());
        if (!r.AllStored) throw new InvalidOperationException($"The PACS refused {r.Failed.Count} views.");
    }
    return (scan.Metadata.StudyInstanceUid!, scan.Metadata.SeriesInstanceUid!);
}

async Task<(double Seconds, List<(string Name, double Seconds)> Steps)> RoundTripAsync(List<(string Study, string Series)> scans, string label)
{
    var options = new BridgeOptions
    {
        Source = source,
        Service = new DicomWebClientOptions { BaseUrl = service, TimeoutSeconds = 300 },
        Discovery = orthancRest is null
            ? new DiscoveryOptions { Mode = DiscoveryMode.Qido, StableAgeSeconds = 2, LookbackDays = 0, PollIntervalSeconds = 1 }
            : new DiscoveryOptions { Mode = DiscoveryMode.OrthancChanges, OrthancUrl = orthancRest, PollIntervalSeconds = 1 },
        Rules = [new RoutingRule { Name = "bench", Modality = "CT", Method = method }],
        StateDatabase = Path.Combine(work, label + ".db"),
        JobPollIntervalSeconds = 0.2,
        MaxConcurrentSeries = concurrency,
    };
    var wanted = scans.Select(s => s.Series).ToHashSet();
    var firstSeen = new Dictionary<(string, BridgeSeriesState), double>();
    var clock = Stopwatch.StartNew();
    using var bridge = new Bridge(options);
    using var stop = new CancellationTokenSource();
    var running = bridge.RunAsync(stop.Token);
    while (true)
    {
        foreach (var row in bridge.State.Recent(1000).Where(r => wanted.Contains(r.SeriesInstanceUid)))
            firstSeen.TryAdd((row.SeriesInstanceUid, row.State), clock.Elapsed.TotalSeconds);
        int done = wanted.Count(s => firstSeen.ContainsKey((s, BridgeSeriesState.Done)));
        if (wanted.Any(s => firstSeen.ContainsKey((s, BridgeSeriesState.DeadLetter)) || firstSeen.ContainsKey((s, BridgeSeriesState.Ignored))))
            throw new InvalidOperationException("A scan was dead-lettered or ignored: " + string.Join("; ", bridge.State.Recent(1000).Where(r => wanted.Contains(r.SeriesInstanceUid)).Select(r => $"{r.State} {r.LastError}")));
        Console.Error.Write(string.Create(inv, $"\r{label}: {done}/{wanted.Count} scans back in the PACS, {clock.Elapsed.TotalSeconds:F0} s   "));
        if (done == wanted.Count) break;
        await Task.Delay(100);
    }
    Console.Error.WriteLine();
    stop.Cancel();
    await running;
    double total = clock.Elapsed.TotalSeconds;
    var s0 = scans[0].Series;
    double T(BridgeSeriesState st) => firstSeen.TryGetValue((s0, st), out var t) ? t : 0;
    var steps = new List<(string, double)>
    {
        ("discovery and stability wait", T(BridgeSeriesState.Ready)),
        ("retrieve from the PACS, STOW to the service, create the job", T(BridgeSeriesState.Reconstructing) - T(BridgeSeriesState.Ready)),
        ("reconstruction job (service)", T(BridgeSeriesState.Pushing) - T(BridgeSeriesState.Reconstructing)),
        ("retrieve the CT series, STOW to the PACS", T(BridgeSeriesState.Done) - T(BridgeSeriesState.Pushing)),
    };
    return (total, steps);
}

string? Arg(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
