// The main job against a running FedNano service: simulate a sparse-row helical chest scan, STOW it, follow the
// reconstruction job, retrieve the CT series with WADO-RS, render slices, measure them against the phantom truth and
// report the latency from the last STOW to the series being available, with the job's stage profile.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using FedNano.Dicom;
using FedNano.PacsBridge;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Metrics;
using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Volumes;
using FedNano.Reconstruction.Workflows;
using FedNano.Samples.ReconstructionService;

var inv = CultureInfo.InvariantCulture;
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("""
        Usage: FedNano.Samples.ReconstructionService [options]
          --url URL          FedNano service root (default http://127.0.0.1:5080)
          --api-key KEY      send X-Api-Key (service Authentication:Mode=ApiKey)
          --bearer TOKEN     send a bearer token (Authentication:Mode=Bearer)
          --phantom NAME     chest (default) or head
          --seed N           phantom seed (default 1001, a test patient the shipped model never saw)
          --i0 PHOTONS       incident photons per ray, 0 = noiseless (default 1e5)
          --method M         request this method explicitly (dual-domain, ssr-fbp, 360li, 180li) instead of waiting for the automatic job
          --compare M        then reconstruct the same raw series with M too, for a row to compare against (e.g. ssr-fbp)
          --stow-batch N     views per STOW request (default 64)
          --out DIR          PNGs and the downloaded series' slices go here (default ./fednano-sample)
          --results DIR      also write the generated block of DIR/RESULTS.md and the comparison PNG into DIR
          --service-pid PID  report the service's peak resident memory (Linux /proc; the service on this machine)
        """);
    return 0;
}

string url = Arg("--url") ?? "http://127.0.0.1:5080";
string phantom = Arg("--phantom") ?? "chest";
int seed = int.Parse(Arg("--seed") ?? "1001", inv);
double i0 = double.Parse(Arg("--i0") ?? "1e5", inv);
string? method = Arg("--method");
string? compare = Arg("--compare");
int stowBatch = int.Parse(Arg("--stow-batch") ?? "64", inv);
string outDir = Path.GetFullPath(Arg("--out") ?? "fednano-sample");
string? resultsDir = Arg("--results") is { } r ? Path.GetFullPath(r) : null;
int? servicePid = Arg("--service-pid") is { } pidText ? int.Parse(pidText, inv) : null;
Directory.CreateDirectory(outDir);

var options = new DicomWebClientOptions { BaseUrl = url.TrimEnd('/') + "/dicomweb", TimeoutSeconds = 300 };
var apiOptions = new DicomWebClientOptions { BaseUrl = url, TimeoutSeconds = 60 };
foreach (var o in new[] { options, apiOptions })
{
    if (Arg("--api-key") is { } key) { o.Authentication = DicomWebAuthentication.ApiKey; o.ApiKey = key; }
    if (Arg("--bearer") is { } token) { o.Authentication = DicomWebAuthentication.Bearer; o.BearerToken = token; }
}
using var dicomWeb = new DicomWebClient(options);
using var jobs = new ReconstructionServiceClient(apiOptions);

// 1. Simulate the scan the shipped model was trained for (sparse demo geometry), written as a DICOM-CT-PD series.
var clock = Stopwatch.StartNew();
var request = new SimulationRequest { Phantom = phantom, Seed = seed, IncidentPhotons = i0 > 0 ? i0 : null };
var simBar = new ProgressLine("simulate");
var simulated = CaseSimulator.Simulate(request, (stage, total) => new Progress<int>(n => simBar.Report(100.0 * n / Math.Max(1, total), stage)));
var caseDir = Directory.CreateTempSubdirectory("fednano-sample-").FullName;
try
{
    var scan = CaseSimulator.Write(simulated, caseDir);
    simBar.Done($"{scan.Views} views, rows {scan.RowPattern}, {clock.Elapsed.TotalSeconds:F1} s");
    string study = scan.Metadata.StudyInstanceUid!, rawSeries = scan.Metadata.SeriesInstanceUid!;

    // 2. STOW the views in batches, as a PACS forwarding a study would.
    var files = Directory.GetFiles(Path.Combine(caseDir, CaseSimulator.RawDirectory), "*.dcm").Order(StringComparer.Ordinal).ToList();
    long bytes = files.Sum(f => new FileInfo(f).Length);
    var stowBar = new ProgressLine("STOW-RS");
    clock.Restart();
    for (int first = 0; first < files.Count; first += stowBatch)
    {
        var streams = files.Skip(first).Take(stowBatch).Select(f => File.OpenRead(f)).ToList();
        try
        {
            var stow = await dicomWeb.StoreAsync(streams.Select(StowPart.FromStream).ToList(), study);
            if (!stow.AllStored)
                throw new InvalidOperationException($"STOW refused {stow.Failed.Count} views, e.g. {stow.Failed[0].SopInstanceUid}: 0x{stow.Failed[0].FailureReason:X4}");
        }
        finally
        {
            foreach (var s in streams) s.Dispose();
        }
        stowBar.Report(100.0 * Math.Min(files.Count, first + stowBatch) / files.Count, $"{Math.Min(files.Count, first + stowBatch)}/{files.Count} views");
    }
    var lastStow = DateTimeOffset.UtcNow;
    double stowSeconds = clock.Elapsed.TotalSeconds;
    stowBar.Done(string.Create(inv, $"{files.Count} views, {bytes / 1048576.0:F0} MiB in {stowSeconds:F1} s ({bytes / 1048576.0 / stowSeconds:F0} MiB/s)"));

    // 3. The job: the service's automatic one, or one requested here.
    var rows = new List<Row>();
    ReconstructionJobInfo job;
    if (method is null)
    {
        job = await FindAutoJobAsync(jobs, rawSeries, TimeSpan.FromSeconds(60))
            ?? await jobs.CreateAsync(new ReconstructionRequest { StudyInstanceUid = study, SeriesInstanceUid = rawSeries });
    }
    else
    {
        job = await jobs.CreateAsync(new ReconstructionRequest { StudyInstanceUid = study, SeriesInstanceUid = rawSeries, Method = method });
    }
    rows.Add(await FollowAsync(job, lastStow, "job"));
    if (compare is not null)
    {
        var second = await jobs.CreateAsync(new ReconstructionRequest { StudyInstanceUid = study, SeriesInstanceUid = rawSeries, Method = compare });
        rows.Add(await FollowAsync(second, DateTimeOffset.UtcNow, "compare"));
    }

    // 4. Report.
    Console.WriteLine();
    Console.WriteLine(string.Create(inv, $"raw series {rawSeries}: {phantom} seed {seed}, {scan.Views} views, rows {scan.RowPattern}, I0 {(i0 > 0 ? i0.ToString("0.#e0", inv) : "noiseless")}"));
    foreach (var row in rows)
    {
        Console.WriteLine(string.Create(inv,
            $"{row.Method,-12} {row.Slices} slices  RRMSE {row.Metrics.RrmsePercent:F2} %  SSIM {row.Metrics.Ssim:F4} (body)  SSIM {row.WholeSsim:F4} (FOV)  PSNR {row.Metrics.PsnrDb:F2} dB  {(row.FromLastStow ? "last STOW" : "request")} → series available {row.LatencySeconds:F1} s"));
    }
    if (rows.Count > 1)
        Console.WriteLine(string.Create(inv, $"{rows[0].Method} ÷ {rows[1].Method}: {rows[0].LatencySeconds / rows[1].LatencySeconds:F1} × the time (job run time {rows[0].RunSeconds / rows[1].RunSeconds:F1} ×), RRMSE {rows[0].Metrics.RrmsePercent / rows[1].Metrics.RrmsePercent:F2} ×"));
    Console.WriteLine();
    Console.WriteLine(StageTable(rows));
    string? memory = servicePid is { } pid ? PeakRss(pid) : null;
    if (memory is not null) Console.WriteLine($"service peak resident memory: {memory}");
    Console.WriteLine($"PNGs and slices in {outDir}");
    if (resultsDir is not null)
    {
        Directory.CreateDirectory(resultsDir);
        File.Copy(rows[0].ComparisonPng, Path.Combine(resultsDir, Path.GetFileName(rows[0].ComparisonPng)), overwrite: true);
        string path = Path.Combine(resultsDir, "RESULTS.md");
        string block = Results(rows, scan.Views, scan.RowPattern.ToString(), files.Count, bytes, stowSeconds, memory);
        string old = File.Exists(path) ? File.ReadAllText(path) : "# Reconstruction as a service: measured\n\n<!-- generated:start -->\n<!-- generated:end -->\n";
        int start = old.IndexOf("<!-- generated:start -->", StringComparison.Ordinal), end = old.IndexOf("<!-- generated:end -->", StringComparison.Ordinal);
        File.WriteAllText(path, start >= 0 && end > start ? old[..start] + block + old[(end + "<!-- generated:end -->".Length)..].TrimStart('\n').Insert(0, "\n\n") : old + "\n" + block);
        Console.WriteLine($"wrote {Path.Combine(resultsDir, "RESULTS.md")}");
    }
    return 0;

    async Task<Row> FollowAsync(ReconstructionJobInfo started, DateTimeOffset since, string label)
    {
        var bar = new ProgressLine($"{label} {started.Method}");
        var done = await jobs.WaitAsync(started.Id, TimeSpan.FromMilliseconds(200), new SynchronousProgress<ReconstructionJobInfo>(j => bar.Report(j.Progress, $"{j.Status}: {j.Stage}")));
        var available = DateTimeOffset.UtcNow;
        if (done.Status != "succeeded")
        {
            bar.Done(done.Status);
            throw new InvalidOperationException($"Job {done.Id} {done.Status}: {done.Reason}");
        }
        bar.Done($"{done.Slices} slices");
        // The series is available: QIDO finds it in the study, WADO-RS returns it.
        var found = await dicomWeb.SearchSeriesAsync(study, [new("SeriesInstanceUID", done.OutputSeriesInstanceUid)]);
        if (found.Count != 1) throw new InvalidOperationException($"QIDO-RS does not find the output series {done.OutputSeriesInstanceUid}.");
        var wadoBar = new ProgressLine("WADO-RS");
        var datasets = new List<DicomDataset>();
        string sliceDir = Path.Combine(outDir, done.Method);
        Directory.CreateDirectory(sliceDir);
        await foreach (var part in dicomWeb.RetrieveAsync(study, done.OutputSeriesInstanceUid))
        {
            var ds = DicomFile.Read(part).Dataset;
            datasets.Add(ds);
            File.WriteAllBytes(Path.Combine(sliceDir, $"{ds.GetValue<int>(DicomTags.InstanceNumber):D4}.dcm"), part);
            wadoBar.Report(100.0 * datasets.Count / done.Slices!.Value, $"{datasets.Count}/{done.Slices} slices");
        }
        wadoBar.Done();
        var volume = new CtImageSeriesReader().Read(datasets);

        // The truth: the same phantom rendered on the reconstruction's own grid (the phantom is procedural, so any grid samples the same patient).
        var truth = PhantomCatalog.Get(phantom).Generate(volume.Grid, seed).Hounsfield;
        var metric = new MetricOptions { Unit = MetricUnit.AttenuationPerMm, Mask = MaskKind.Body, MuWaterPerMm = simulated.Scan.MuWaterPerMm };
        var report = ImageMetrics.Evaluate(truth, volume, metric);
        var whole = ImageMetrics.Evaluate(truth, volume, metric with { Mask = MaskKind.None });

        // PNGs: truth | reconstruction | difference for the middle slice, and the service's own renderings of three slices.
        int middle = volume.Grid.Nz / 2;
        string png = Path.Combine(outDir, $"{phantom}-{seed}_{done.Method}_slice{middle:D2}.png");
        ComparisonPng.Write(png, truth, volume, middle, new ComparisonPngOptions
        {
            Title = string.Create(inv, $"{phantom} {seed}, {done.Method} via the service: RRMSE {report.RrmsePercent:F2} %, SSIM {report.Ssim:F4}"),
            WindowCenterHu = -300, WindowWidthHu = 1600, MuWaterPerMm = simulated.Scan.MuWaterPerMm,
        });
        var ordered = datasets.OrderBy(d => d.GetValue<int>(DicomTags.InstanceNumber)).ToList();
        foreach (int k in new[] { ordered.Count / 4, ordered.Count / 2, 3 * ordered.Count / 4 }.Distinct())
        {
            var rendered = await dicomWeb.RetrieveRenderedAsync(study, done.OutputSeriesInstanceUid, ordered[k].GetString(DicomTags.SOPInstanceUID)!, "image/png", "window=-600,1500,linear");
            File.WriteAllBytes(Path.Combine(outDir, $"{done.Method}_rendered_{k + 1:D2}.png"), rendered);
        }
        return new Row(done.Method, done.Slices!.Value, report, whole.Ssim, (available - since).TotalSeconds, label == "job", done, png);
    }
}
finally
{
    Directory.Delete(caseDir, recursive: true);
}

static async Task<ReconstructionJobInfo?> FindAutoJobAsync(ReconstructionServiceClient jobs, string series, TimeSpan wait)
{
    var until = DateTime.UtcNow + wait;
    while (DateTime.UtcNow < until)
    {
        var found = await jobs.ListForSeriesAsync(series);
        if (found.Count > 0) return found[^1];
        await Task.Delay(200);
    }
    Console.Error.WriteLine($"No automatic job within {wait.TotalSeconds:F0} s (Reconstruction:AutoReconstruct off?): requesting one.");
    return null;
}

string StageTable(IReadOnlyList<Row> rows)
{
    var sb = new StringBuilder();
    sb.AppendLine("| stage | " + string.Join(" | ", rows.Select(r => $"{r.Method} s | share")) + " |");
    sb.AppendLine("|---|" + string.Concat(rows.Select(_ => "---:|---:|")));
    var names = rows.SelectMany(r => r.Job.StageSeconds?.Keys ?? []).Distinct().ToList();
    names.Insert(0, "before the job ran (completeness check, queue, polling)");
    foreach (var name in names)
    {
        sb.Append("| ").Append(name).Append(" |");
        foreach (var row in rows)
        {
            double total = row.LatencySeconds;
            double? s = name.StartsWith("before", StringComparison.Ordinal) ? row.QueuedSeconds
                : row.Job.StageSeconds is { } stages && stages.TryGetValue(name, out var seconds) ? seconds : null;
            sb.Append(s is { } v ? string.Create(inv, $" {v:F2} | {100 * v / total:F1} % |") : " | |");
        }
        sb.AppendLine();
    }
    sb.Append("| **total: ").Append(rows[0].FromLastStow ? "last STOW" : "request").Append(" → series available** |");
    foreach (var row in rows) sb.Append(string.Create(inv, $" **{row.LatencySeconds:F2}** | 100 % |"));
    return sb.ToString();
}

string Results(IReadOnlyList<Row> rows, int views, string pattern, int files, long bytes, double stowSeconds, string? memory)
{
    var sb = new StringBuilder();
    sb.AppendLine("<!-- generated:start -->");
    sb.AppendLine("| method | slices | RRMSE % (μ, body) | SSIM (body) | SSIM (FOV) | PSNR dB | latency s |");
    sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
    foreach (var r in rows)
        sb.AppendLine(string.Create(inv, $"| {r.Method} | {r.Slices} | {r.Metrics.RrmsePercent:F2} | {r.Metrics.Ssim:F4} | {r.WholeSsim:F4} | {r.Metrics.PsnrDb:F2} | {r.LatencySeconds:F1} |"));
    sb.AppendLine();
    sb.AppendLine(StageTable(rows));
    sb.AppendLine();
    sb.AppendLine(string.Create(inv, $"Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC against {url}: {phantom} seed {seed}, {views} views (rows {pattern}), I0 {(i0 > 0 ? i0.ToString("0.#e0", inv) : "noiseless")}; STOW of {files} views ({bytes / 1048576.0:F0} MiB) in batches of {stowBatch} took {stowSeconds:F1} s; {Environment.ProcessorCount} cores{(memory is null ? "" : $"; service peak resident memory {memory}")}."));
    if (rows.Count > 1)
        sb.AppendLine().AppendLine(string.Create(inv, $"{rows[0].Method} ÷ {rows[1].Method}: {rows[0].LatencySeconds / rows[1].LatencySeconds:F1} × the latency, {rows[0].RunSeconds / rows[1].RunSeconds:F1} × the job run time, {rows[0].Metrics.RrmsePercent / rows[1].Metrics.RrmsePercent:F2} × the RRMSE."));
    sb.Append("<!-- generated:end -->");
    return sb.ToString();
}

static string? PeakRss(int pid)
{
    try
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? null : string.Create(CultureInfo.InvariantCulture, $"{long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0:F0} MiB");
    }
    catch (IOException)
    {
        return null;
    }
}

string? Arg(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

/// <summary>One reconstruction as measured here.</summary>
internal sealed record Row(string Method, int Slices, MetricReport Metrics, double WholeSsim, double LatencySeconds, bool FromLastStow,
    ReconstructionJobInfo Job, string ComparisonPng)
{
    /// <summary>Time from job creation to its start (quiet period and worker wait are before creation for an automatic job; this is the queue wait).</summary>
    public double QueuedSeconds => LatencySeconds - RunSeconds;

    /// <summary>Seconds the job's stages took.</summary>
    public double RunSeconds => Job.StageSeconds?.Values.Sum() ?? 0;
}

/// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder the bar).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
