using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using FedNano.Reconstruction.Analytic;

namespace FedNano.Samples.ReconBenchmark;

/// <summary>Runs every measurement of one benchmark run and prints (and optionally writes) the report.</summary>
internal sealed class Harness(BenchmarkOptions options)
{
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromHours(1);
    private string _work = "";
    private string _lastCheck = "";

    public int Run()
    {
        bool ownedWork = options.WorkDir is null;
        _work = options.WorkDir is { } w
            ? Path.GetFullPath(w)
            : Path.Combine(Path.GetTempPath(), "fednano-recon-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_work);
        try
        {
            return RunIn();
        }
        finally
        {
            if (!options.Keep && ownedWork)
            {
                try
                {
                    Directory.Delete(_work, recursive: true);
                }
                catch (IOException ex)
                {
                    Console.Error.WriteLine($"could not delete {_work}: {ex.Message}");
                }
            }
        }
    }

    private int RunIn()
    {
        var machine = MachineInfo.Read();
        string loadAtStart = MachineInfo.LoadAverageText();
        Console.WriteLine("FedNano reconstruction benchmark" + (options.Quick ? " (--quick)" : ""));
        Console.WriteLine($"machine: {machine.Describe()}");
        Console.WriteLine($"load average at start (1 / 5 / 15 min): {loadAtStart}");
        var warnings = new List<string>();
        if (MachineInfo.LoadAverage() is { } load && load.One > machine.LogicalCores)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"the 1-minute load average ({load.One:F2}) exceeds the {machine.LogicalCores} logical CPUs: other work competes for the cores and memory bus, so every time below is inflated and the ratios are unreliable; re-run on a quiet machine"));
        }
        if (typeof(FanBeamFbp).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true)
        {
            warnings.Add("FedNano.Reconstruction is a Debug build: build with -c Release for representative numbers");
        }
        if (!ChildProcess.HasGnuTime)
        {
            warnings.Add("GNU time (/usr/bin/time, apt-get install time) is missing: peer process CPU time and ctsim's peak memory are not measured");
        }
        foreach (string warning in warnings)
        {
            Console.WriteLine("WARNING: " + warning);
        }

        // ------------------------------------------------------------------ memory bandwidth
        long l3 = machine.L3CacheBytes ?? 32L << 20;
        long streamBytes = options.StreamMib is { } mib ? (long)mib << 20 : Math.Clamp(4 * l3, 256L << 20, 1024L << 20);
        Console.WriteLine();
        Console.WriteLine($"STREAM-like bandwidth: 3 arrays of {streamBytes >> 20} MiB, {Environment.ProcessorCount} threads, best of {options.StreamReps} ...");
        StreamResult stream = MemoryBandwidth.Measure(streamBytes, options.StreamReps);
        // Give the arrays back to the OS before the measurements whose peak memory we report.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  copy {stream.CopyGBps:F1}  scale {stream.ScaleGBps:F1}  add {stream.AddGBps:F1}  triad {stream.TriadGBps:F1} GB/s  -> bound uses {stream.BestGBps:F1} GB/s"));
        if (streamBytes < 4 * l3)
        {
            warnings.Add($"STREAM arrays ({streamBytes >> 20} MiB) are smaller than 4 × the L3 getconf reports ({l3 >> 20} MiB): if these cores can really use that much L3, the bandwidth is overstated; compare with --stream-only --stream-mib {4 * l3 >> 20} (virtual machines often report the whole socket's L3)");
        }

        var slice = new BenchmarkSlice();
        int size = BenchmarkSlice.ImageSize;
        var bound = new BackprojectionBound(slice.Fan.Views, (long)size * size, slice.Fan.Channels, stream.BestGBps);
        if (options.StreamOnly)
        {
            Console.WriteLine($"bandwidth bound of a view-by-view backprojection: {bound.Formula}");
            return 0;
        }

        // ------------------------------------------------------------------ ours
        var measurements = new List<Measurement>();
        Console.WriteLine();
        Console.WriteLine($"ours: {options.Reps} timed repetitions after one warm-up, each workload in its own process");
        WorkerRun analytic = Ours("analytic", options.Reps);
        measurements.Add(Print(analytic.ToMeasurement("analytic", MeasurementGroup.Projection,
            $"exact line integrals of the 3D Shepp–Logan (10 ellipsoids, radius {BenchmarkSlice.PhantomRadiusMm} mm) in z = 0, equiangular fan of {slice.SinogramSize} (AnalyticProjector, 1 row, pitch 0), float32",
            updates: null, samples: null)));
        WorkerRun fbp = Ours("fbp", options.Reps);
        measurements.Add(Print(fbp.ToMeasurement("filter", MeasurementGroup.Reconstruction,
            $"FanBeamFbp.Filter: cos γ pre-weight + Ram-Lak ramp by FFT (TorchSharp), curved-detector sinogram of {slice.SinogramSize}", null, null)));
        measurements.Add(Print(fbp.ToMeasurement("backprojection", MeasurementGroup.Reconstruction,
            $"FanBeamBackprojector.Backproject: pixel-driven, linear interpolation, 1/L² weight, {slice.Fan.Views} views → {size}² at {BenchmarkSlice.PixelMm} mm, float32",
            slice.VoxelViewUpdates, null)));
        measurements.Add(Print(fbp.ToMeasurement("fbp", MeasurementGroup.Reconstruction,
            $"fan-beam FBP total (filter + backprojection) of exact Shepp–Logan line integrals, {slice.SinogramSize} → {size}², float32",
            slice.VoxelViewUpdates, null)));
        WorkerRun joseph = Ours("joseph2d", options.Reps);
        measurements.Add(Print(joseph.ToMeasurement("joseph2d", MeasurementGroup.Projection,
            $"HelicalProjector (Joseph) of the voxelised {size}² slice ({BenchmarkSlice.PixelMm} mm) through the same fan: 1 row, pitch 0, {slice.SinogramSize}, float32",
            slice.VoxelViewUpdates, joseph.Lines.Number("joseph2d.samples"))));
        if (!options.SkipHelical)
        {
            WorkerRun helical = Ours("helical", options.HelicalReps, options.HelicalRows.ToString(CultureInfo.InvariantCulture));
            measurements.Add(Print(helical.ToMeasurement("helical", MeasurementGroup.Projection,
                $"HelicalProjector (Joseph) 3D: {helical.Lines.Text("helical.describe")}", null, helical.Lines.Number("helical.samples"))));
        }

        // ------------------------------------------------------------------ peers
        Console.WriteLine();
        if (options.SkipSkimage)
        {
            Console.WriteLine("skimage: skipped (--skip-skimage)");
        }
        else if (SkimagePeer.Find(options.Python, _work, out string skimageMissing) is { } skimage)
        {
            Console.WriteLine($"skimage {skimage.Version}: iradon and radon, {options.PeerReps} timed repetitions each ...");
            measurements.Add(Print(skimage.Iradon(slice, options.PeerReps)));
            measurements.Add(Print(skimage.Radon(slice, options.PeerReps)));
        }
        else
        {
            Console.WriteLine($"skimage: SKIPPED, {skimageMissing}");
        }
        if (options.SkipCtsim)
        {
            Console.WriteLine("ctsim: skipped (--skip-ctsim)");
        }
        else if (CtsimPeer.Find(_work, options.CtsimBackprojection, options.CtsimFilterMethod, out string ctsimMissing) is { } ctsim)
        {
            Console.WriteLine($"ctsim {ctsim.Version}: phm2pj + pjrec (--filter-method {options.CtsimFilterMethod}, --backproj {options.CtsimBackprojection}), {options.PeerReps} repetitions ...");
            foreach (Measurement m in ctsim.Measure(slice, options.PeerReps))
            {
                measurements.Add(Print(m));
            }
        }
        else
        {
            Console.WriteLine($"ctsim: SKIPPED, {ctsimMissing}");
        }

        // ------------------------------------------------------------------ report
        var report = new BenchmarkReport(machine, options, stream, bound, measurements, warnings, loadAtStart, MachineInfo.LoadAverageText());
        Console.WriteLine();
        report.WriteText(Console.Out);
        if (options.MarkdownPath is { } path)
        {
            File.WriteAllText(path, report.Markdown());
            Console.WriteLine($"Markdown tables written to {Path.GetFullPath(path)}");
        }
        return measurements.All(m => m.Ok) ? 0 : 1;
    }

    /// <summary>Runs one of our workloads in a worker process.</summary>
    private WorkerRun Ours(string mode, int reps, string? extraArgument = null)
    {
        double? load = MachineInfo.LoadAverage()?.One;
        string self = Environment.ProcessPath ?? "dotnet";
        var args = new List<string>();
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            args.Add(typeof(Harness).Assembly.Location);
        }
        args.AddRange([OurWorker.Flag, mode, reps.ToString(CultureInfo.InvariantCulture)]);
        if (extraArgument is not null)
        {
            args.Add(extraArgument);
        }
        Console.WriteLine($"  {mode} ...");
        ChildResult result = ChildProcess.Run(self, args, _work, ChildTimeout);
        if (result.ExitCode is not (0 or 1))
        {
            throw new InvalidOperationException($"worker '{mode}' failed with exit code {result.ExitCode}:\n{result.StdOut}\n{result.StdErr}");
        }
        var lines = ResultLines.Parse(result.StdOut);
        if (lines.Text("note") is { } note)
        {
            Console.WriteLine($"    ({note})");
        }
        return new WorkerRun(lines, (long?)lines.Number("peak_rss_kb") ?? result.PeakRssKb, lines.Number("ok") == 1,
            lines.Text("check") ?? "no check reported", load);
    }

    private Measurement Print(Measurement m)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    {m.Id,-22} median {m.Median,9:F4} s  min {m.Min,9:F4} s  runs {string.Join(", ", m.Seconds.Select(s => s.ToString("F4", CultureInfo.InvariantCulture)))}{(m.Ok ? "" : "  CHECK FAILED")}"));
        // One worker's rows share its check: print it once.
        if (m.Check.Length > 0 && m.Check != _lastCheck)
        {
            Console.WriteLine($"      check: {m.Check}");
        }
        _lastCheck = m.Check;
        return m;
    }
}
