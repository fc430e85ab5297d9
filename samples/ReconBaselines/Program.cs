// Analytic baselines on simulated chest scans: the table P4's dual-domain network must beat.
// Usage: dotnet samples/ReconBaselines/bin/Release/net10.0/FedNano.Samples.ReconBaselines.dll [--quick] [--out DIR]
using System.Diagnostics;
using System.Globalization;
using System.Text;
using FedNano.Reconstruction.Analytic;
using FedNano.Reconstruction.Metrics;
using FedNano.Reconstruction.Projection;
using FedNano.Reconstruction.Scans;
using FedNano.Reconstruction.Volumes;
using FedNano.Reconstruction.Workflows;

var inv = CultureInfo.InvariantCulture;
bool quick = args.Contains("--quick");
string outDir = ArgValue(args, "--out") ?? Path.Combine(AppContext.BaseDirectory, "..", "..", "..");
outDir = Path.GetFullPath(outDir);
string pngDir = Path.Combine(outDir, "png");
Directory.CreateDirectory(pngDir);

// Test "patients" of the chest phantom: seeds 1001-1003 (training uses other seeds).
int[] patients = quick ? [1001] : [1001, 1002, 1003];
double?[] doses = quick ? [null, 1e5] : [null, 1e5, 2.5e4];
string[] geometries = ["small", "small-sparse"];
var methods = new (string Name, AnalyticReconstructionOptions Options)[]
{
    ("SSR-FBP, gaps linear in z", new AnalyticReconstructionOptions(AnalyticMethod.SsrFbp, GapFilling: GapFilling.Linear)),
    ("SSR-FBP, gaps from conjugate rays", new AnalyticReconstructionOptions(AnalyticMethod.SsrFbp, GapFilling: GapFilling.Complementary)),
    ("360LI + FBP", new AnalyticReconstructionOptions(AnalyticMethod.Li360)),
    ("180LI + Parker short-scan FBP", new AnalyticReconstructionOptions(AnalyticMethod.Li180)),
};
int slices = quick ? 4 : 16;
var metricOptions = new MetricOptions { Unit = MetricUnit.AttenuationPerMm, Mask = MaskKind.Body };

var results = new List<Row>();
var clock = Stopwatch.StartNew();
foreach (int seed in patients)
{
    foreach (string geometry in geometries)
    {
        var request = new SimulationRequest { Phantom = "chest", Geometry = geometry, Seed = seed, Slices = slices, IncidentPhotons = null };
        var started = clock.Elapsed;
        var simulated = CaseSimulator.Simulate(request);
        Console.Error.WriteLine(string.Create(inv, $"patient {seed} {geometry}: simulated {simulated.Scan.Views} views in {(clock.Elapsed - started).TotalSeconds:F1} s"));
        foreach (double? i0 in doses)
        {
            var scan = i0 is { } photons ? WithNoise(simulated.Scan, photons, seed) : simulated.Scan;
            foreach (var (name, options) in methods)
            {
                if (options.GapFilling == GapFilling.Complementary && scan.RowPattern.IsDense)
                {
                    continue; // identical to linear on a full detector
                }
                var reconstructor = new HelicalReconstructor(scan, options);
                var timer = Stopwatch.StartNew();
                var volume = reconstructor.Reconstruct(simulated.Truth.Hounsfield.Grid);
                double msPerSlice = timer.Elapsed.TotalMilliseconds / slices;
                var report = ImageMetrics.Evaluate(simulated.Truth.Hounsfield, volume, metricOptions with { MuWaterPerMm = scan.MuWaterPerMm });
                results.Add(new Row(geometry, scan.RowPattern.ToString(), i0, name, seed, report.RrmsePercent, report.Ssim, report.PsnrDb, msPerSlice));
                Console.Error.WriteLine(string.Create(inv, $"  I0 {Dose(i0)} {name}: {report}  {msPerSlice:F0} ms/slice"));
                if (seed == patients[0] && i0 == doses[^1])
                {
                    string file = $"{geometry}_{AnalyticReconstructionOptions.MethodName(options.Method)}_{options.GapFilling}.png".ToLowerInvariant();
                    ComparisonPng.Write(Path.Combine(pngDir, file), simulated.Truth.Hounsfield, volume, slices / 2,
                        new ComparisonPngOptions { Title = string.Create(inv, $"{geometry} I0 {Dose(i0)} {name}: RRMSE {report.RrmsePercent:F2} %, SSIM {report.Ssim:F4}"), WindowCenterHu = -300, WindowWidthHu = 1600 });
                }
            }
        }
    }
}

var md = new StringBuilder();
md.AppendLine(string.Create(inv, $"| geometry (rows) | I0 | method | RRMSE % (μ, body) | SSIM (μ, body) | PSNR dB | ms/slice |"));
md.AppendLine("|---|---:|---|---:|---:|---:|---:|");
foreach (var group in results.GroupBy(r => (r.Geometry, r.Pattern, r.I0, r.Method)))
{
    md.AppendLine(string.Create(inv,
        $"| {group.Key.Geometry} ({group.Key.Pattern}) | {Dose(group.Key.I0)} | {group.Key.Method} | {MeanSd(group.Select(r => r.Rrmse), "F2")} | {MeanSd(group.Select(r => r.Ssim), "F4")} | {MeanSd(group.Select(r => r.Psnr), "F2")} | {group.Average(r => r.MsPerSlice):F0} |"));
}
md.AppendLine();
md.AppendLine(string.Create(inv, $"Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `{(quick ? "--quick" : "the full run")}`: patients (chest seeds) {string.Join(", ", patients)}, {slices} slices of 256² over 400 mm at 1.5 mm, Shepp–Logan-windowed ramp, metrics in μ over the body mask (data range 2000 HU = {2 * 0.0192:F4} /mm), mean ± sd over patients; {Environment.ProcessorCount} cores, {clock.Elapsed.TotalMinutes:F1} min in all."));
string table = md.ToString();
Console.WriteLine(table);
// RESULTS.md keeps its hand-written text; only the block between the markers is regenerated.
const string Start = "<!-- generated:start -->", End = "<!-- generated:end -->";
string resultsPath = Path.Combine(outDir, quick ? "RESULTS-quick.md" : "RESULTS.md");
string existing = File.Exists(resultsPath) ? File.ReadAllText(resultsPath) : $"# Analytic baselines\n\n{Start}\n{End}\n";
int a = existing.IndexOf(Start, StringComparison.Ordinal), b = existing.IndexOf(End, StringComparison.Ordinal);
if (a < 0 || b < a)
{
    existing += $"\n{Start}\n{End}\n";
    a = existing.IndexOf(Start, StringComparison.Ordinal);
    b = existing.IndexOf(End, StringComparison.Ordinal);
}
File.WriteAllText(resultsPath, existing[..(a + Start.Length)] + "\n" + table + existing[b..]);
Console.Error.WriteLine(string.Create(inv, $"done in {clock.Elapsed.TotalMinutes:F1} min; table in {resultsPath}, panels in {pngDir}"));
return 0;

static ProjectionScan WithNoise(ProjectionScan scan, double i0, int seed)
{
    var data = (float[])scan.LineIntegrals.Clone();
    var noise = new PoissonNoise(new NoiseOptions(i0, 0, 0, seed));
    noise.Apply(data, scan.Geometry, scan.RowPattern);
    return new ProjectionScan(scan.Geometry, scan.RowPattern, data, scan.ViewAngleRad, scan.ViewZMm, scan.MuWaterPerMm, scan.Metadata,
        noise.PhotonsPerChannel(scan.Geometry));
}

static string Dose(double? i0) => i0 is { } v ? v.ToString("0.#e0", CultureInfo.InvariantCulture) : "noiseless";

static string MeanSd(IEnumerable<double> values, string format)
{
    var list = values.ToList();
    double mean = list.Average();
    if (list.Count < 2)
    {
        return mean.ToString(format, CultureInfo.InvariantCulture);
    }
    double sd = Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
    return mean.ToString(format, CultureInfo.InvariantCulture) + " ± " + sd.ToString(format, CultureInfo.InvariantCulture);
}

static string? ArgValue(string[] args, string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

internal sealed record Row(string Geometry, string Pattern, double? I0, string Method, int Seed, double Rrmse, double Ssim, double Psnr, double MsPerSlice);
