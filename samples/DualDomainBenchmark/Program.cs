// Dual-domain inference benchmark: one simulated chest scan (small-sparse, I0 1e5) reconstructed slice by slice by
// the analytic SSR-FBP and by the cascade, at 256² (the shipped model) and 512² (the same architecture built for a
// 512² grid: untrained weights, which do not change the work done), each configuration in its own process so its
// peak memory is its own. Prints per-slice and per-volume times, the cascade ÷ FBP ratio, and writes RESULTS.md.
//
//   dotnet build -c Release samples/DualDomainBenchmark
//   dotnet samples/DualDomainBenchmark/bin/Release/net10.0/FedNano.Samples.DualDomainBenchmark.dll [--slices 16] [--sizes 256,512] [--repeats 2] [--device cpu|cuda]
using System.Diagnostics;
using System.Globalization;
using System.Text;
using FedNano.Reconstruction.Analytic;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Networks;
using FedNano.Reconstruction.Projection;
using FedNano.Reconstruction.Torch;
using FedNano.Reconstruction.Volumes;
using FedNano.Reconstruction.Workflows;
using TorchSharp;

var inv = CultureInfo.InvariantCulture;
const string WorkerFlag = "--worker";
const double FieldOfViewMm = 400;
if (args.Length > 0 && args[0] == WorkerFlag)
{
    return Worker(args[1], int.Parse(args[2], inv), args[3], int.Parse(args[4], inv), int.Parse(args[5], inv), args[6], args.Length > 7 ? args[7] : null);
}

int slices = ArgValue(args, "--slices") is { } s ? int.Parse(s, inv) : 16;
int[] sizes = ArgValue(args, "--sizes") is { } list ? list.Split(',').Select(v => int.Parse(v, inv)).ToArray() : [256, 512];
int repeats = ArgValue(args, "--repeats") is { } r ? int.Parse(r, inv) : 2;
string device = ArgValue(args, "--device") ?? "cpu";
string? model = ArgValue(args, "--model");
string sampleDir = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", ".."));

// The scan is simulated once and handed to the workers as DICOM-CT-PD, as the service would receive it.
string scratch = Directory.CreateTempSubdirectory("fednano-dd-bench-").FullName;
try
{
    var request = new SimulationRequest { Phantom = "chest", Geometry = "small-sparse", Seed = 1001, Slices = slices, IncidentPhotons = 1e5 };
    var simulated = CaseSimulator.Simulate(request);
    new DicomCtPdWriter().Write(simulated.Scan, Path.Combine(scratch, "raw"));
    Console.Error.WriteLine(string.Create(inv, $"simulated {simulated.Scan.Views} views x {simulated.Scan.Geometry.Rows} rows x {simulated.Scan.Geometry.Channels} channels"));

    var rows = new List<(int Size, string Method, double MsPerSlice, double VolumeS, long PeakMiB)>();
    foreach (int size in sizes)
    {
        foreach (string method in new[] { "fbp", "cascade" })
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { typeof(Program).Assembly.Location, WorkerFlag, Path.Combine(scratch, "raw"), size.ToString(inv), method,
                slices.ToString(inv), repeats.ToString(inv), device })
            {
                start.ArgumentList.Add(a);
            }
            if (model is not null)
            {
                start.ArgumentList.Add(model);
            }
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            string? line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
            if (process.ExitCode != 0 || line is null)
            {
                Console.Error.WriteLine($"worker {size} {method} failed (exit {process.ExitCode})");
                return 1;
            }
            var f = line.Split(' ');
            rows.Add((size, method, double.Parse(f[1], inv), double.Parse(f[2], inv), long.Parse(f[3], inv)));
            Console.Error.WriteLine(string.Create(inv, $"{size}² {method}: {rows[^1].MsPerSlice:F0} ms/slice, {rows[^1].VolumeS:F2} s/volume, peak {rows[^1].PeakMiB} MiB"));
        }
    }

    var md = new StringBuilder();
    md.AppendLine("| image | method | ms/slice | s/volume | ÷ FBP | peak RSS MiB |");
    md.AppendLine("|---|---|---:|---:|---:|---:|");
    foreach (var row in rows)
    {
        double fbp = rows.First(x => x.Size == row.Size && x.Method == "fbp").MsPerSlice;
        string label = row.Method == "fbp" ? "SSR-FBP (analytic)" : row.Size == 256 ? "dual-domain cascade (shipped model)" : "dual-domain cascade (same layout, untrained)";
        md.AppendLine(string.Create(inv, $"| {row.Size}² | {label} | {row.MsPerSlice:F0} | {row.VolumeS:F2} | {row.MsPerSlice / fbp:F1} | {row.PeakMiB} |"));
    }
    md.AppendLine();
    md.AppendLine(string.Create(inv, $"Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: chest seed 1001, small-sparse, I0 1e5, a volume of {slices} slices at 1.5 mm over {FieldOfViewMm:F0} mm, best of {repeats} timed passes after a one-slice warm-up, {device}, {Environment.ProcessorCount} cores; each row in its own process (peak RSS includes the runtime, torch and the scan)."));
    string table = md.ToString();
    Console.WriteLine(table);
    const string Start = "<!-- generated:start -->", End = "<!-- generated:end -->";
    string path = Path.Combine(sampleDir, "RESULTS.md");
    string existing = File.Exists(path) ? File.ReadAllText(path) : $"# Dual-domain inference benchmark\n\n{Start}\n{End}\n";
    int i = existing.IndexOf(Start, StringComparison.Ordinal), j = existing.IndexOf(End, StringComparison.Ordinal);
    File.WriteAllText(path, i >= 0 && j > i ? existing[..(i + Start.Length)] + "\n" + table + existing[j..] : existing + $"\n{Start}\n{table}{End}\n");
    return 0;
}
finally
{
    Directory.Delete(scratch, recursive: true);
}

static int Worker(string rawDirectory, int size, string method, int slices, int repeats, string deviceName, string? modelPath)
{
    var inv = CultureInfo.InvariantCulture;
    var scan = new DicomCtPdReader().Read(rawDirectory);
    var grid = new VolumeGrid(size, size, slices, FieldOfViewMm / size, 1.5, -(slices - 1) / 2.0 * 1.5);
    Func<VolumeGrid, CtVolume> reconstruct;
    if (method == "fbp")
    {
        var reconstructor = new HelicalReconstructor(scan, new AnalyticReconstructionOptions(AnalyticMethod.SsrFbp, GapFilling: GapFilling.Linear));
        reconstruct = g => reconstructor.Reconstruct(g);
    }
    else
    {
        var device = TorchRuntime.ResolveDevice(deviceName);
        var checkpoint = NetworkCheckpoint.Read(modelPath ?? ShippedModels.PathFor());
        var cascade = size == checkpoint.Config.ImageSize
            ? checkpoint.CreateCascade(device)
            : new DualDomainCascade(checkpoint.Config with { ImageSize = size, PixelSpacingMm = grid.PixelSpacingMm });
        if (size != checkpoint.Config.ImageSize)
        {
            cascade.to(device);
        }
        var reconstructor = new DualDomainReconstructor(cascade, device, batchSize: 4);
        reconstruct = g => reconstructor.Reconstruct(scan, g);
    }
    reconstruct(grid with { Nz = 1 }); // warm-up: first-call costs (JIT, oneDNN kernels, filters) are not per slice
    double best = double.MaxValue;
    for (int k = 0; k < repeats; k++)
    {
        var clock = Stopwatch.StartNew();
        reconstruct(grid);
        best = Math.Min(best, clock.Elapsed.TotalSeconds);
    }
    long peakMiB = Process.GetCurrentProcess().PeakWorkingSet64 >> 20;
    Console.WriteLine(string.Create(inv, $"RESULT {best * 1000 / slices:F1} {best:F3} {peakMiB}"));
    return 0;
}

static string? ArgValue(string[] args, string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
