using System.Diagnostics;
using System.Globalization;

namespace FedNano.Samples.ReconBenchmark;

/// <summary>
/// scikit-image's parallel-beam <c>iradon</c> and <c>radon</c> at the benchmark's sizes, timed inside Python by the
/// embedded script <c>skimage_bench.py</c> (import and data generation excluded, one warm-up call).
/// </summary>
internal sealed class SkimagePeer
{
    private readonly string _python;
    private readonly string _script;
    private readonly string _workDir;

    private SkimagePeer(string python, string script, string workDir, string version)
    {
        _python = python;
        _script = script;
        _workDir = workDir;
        Version = version;
    }

    /// <summary>skimage's version.</summary>
    public string Version { get; }

    /// <summary>
    /// The peer, or null (with the reason) when <paramref name="python"/> is missing or cannot import skimage.
    /// Writes the script into <paramref name="workDir"/>.
    /// </summary>
    public static SkimagePeer? Find(string python, string workDir, out string reason)
    {
        if (!File.Exists(python))
        {
            reason = $"{python} not found (apt-get install python3-skimage; the pyenv python3 on PATH lacks skimage)";
            return null;
        }
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("import skimage; print(skimage.__version__)");
        using var probe = Process.Start(psi);
        string version = probe?.StandardOutput.ReadToEnd().Trim() ?? "";
        probe?.WaitForExit();
        if (probe is null || probe.ExitCode != 0 || version.Length == 0)
        {
            reason = $"{python} cannot import skimage (apt-get install python3-skimage)";
            return null;
        }
        string script = Path.Combine(workDir, "skimage_bench.py");
        using (Stream resource = typeof(SkimagePeer).Assembly.GetManifestResourceStream("skimage_bench.py")
            ?? throw new InvalidOperationException("The embedded resource skimage_bench.py is missing."))
        using (FileStream file = File.Create(script))
        {
            resource.CopyTo(file);
        }
        reason = "";
        return new SkimagePeer(python, script, workDir, version);
    }

    /// <summary>iradon: a parallel-beam sinogram of as many bins and angles (over 360°) as the slice's fan → 512², ramp filter, linear interpolation.</summary>
    public Measurement Iradon(BenchmarkSlice slice, int reps)
    {
        ArgumentNullException.ThrowIfNull(slice);
        return Run(slice, "iradon", reps, MeasurementGroup.Reconstruction, "skimage.iradon",
            $"parallel-beam FBP, {slice.Fan.Channels} bins × {slice.Fan.Views} angles (360°) → {BenchmarkSlice.ImageSize}², filter ramp, interpolation linear, float64",
            "ours.fbp");
    }

    /// <summary>radon: a 512² image at as many angles (over 360°) as the slice's fan (circle=False: ⌈√2·512⌉ = 725 bins).</summary>
    public Measurement Radon(BenchmarkSlice slice, int reps)
    {
        ArgumentNullException.ThrowIfNull(slice);
        return Run(slice, "radon", reps, MeasurementGroup.Projection, "skimage.radon",
            $"parallel-beam projection of a {BenchmarkSlice.ImageSize}² image, {slice.Fan.Views} angles (360°), circle=False (every pixel projected), float64",
            "ours.joseph2d");
    }

    private Measurement Run(BenchmarkSlice slice, string mode, int reps, MeasurementGroup group, string id, string what, string comparedWith)
    {
        int size = BenchmarkSlice.ImageSize;
        double? load = MachineInfo.LoadAverage()?.One;
        ChildResult result = ChildProcess.Run(_python,
            [_script, mode, Invariant(size), Invariant(slice.Fan.Views), Invariant(slice.Fan.Channels), Invariant(reps)], _workDir, TimeSpan.FromHours(1));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"skimage {mode} failed with exit code {result.ExitCode}:\n{result.StdErr}");
        }
        var lines = ResultLines.Parse(result.StdOut);
        string check = (lines.Text("check") ?? "no check reported") + $"; {lines.Text("shape")}";
        return new Measurement(id, group, $"skimage {Version}", what, lines.Numbers("seconds"), lines.Numbers("cpu"),
            slice.VoxelViewUpdates, null, result.PeakRssKb ?? (long?)lines.Number("peak_rss_kb"),
            "perf_counter inside Python around the call (import, data, warm-up excluded)",
            check, lines.Number("ok") == 1, load, comparedWith);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
