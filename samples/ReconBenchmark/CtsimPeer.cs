using System.Globalization;
using System.Text.RegularExpressions;
using FedNano.Reconstruction.Analytic;

namespace FedNano.Samples.ReconBenchmark;

/// <summary>
/// Debian's ctsim (<c>ctsimtext</c>): <c>phm2pj</c> projects its analytic Shepp–Logan phantom through an equiangular
/// fan of 736 detectors × 1152 views with our fan angle and distances (relative to the field of view), and
/// <c>pjrec</c> reconstructs 512² from it by fan-beam FBP. Each repetition is a new process. ctsim writes its own
/// computation time ("calc time") into the output file's history; the process wall time adds start-up and file I/O.
/// </summary>
internal sealed partial class CtsimPeer
{
    private readonly string _ctsim;
    private readonly string _workDir;
    private readonly string _backprojection;
    private readonly string _filterMethod;

    private CtsimPeer(string ctsim, string workDir, string backprojection, string filterMethod, string version)
    {
        _ctsim = ctsim;
        _workDir = workDir;
        _backprojection = backprojection;
        _filterMethod = filterMethod;
        Version = version;
    }

    /// <summary>ctsim's version as ctsimtext reports it.</summary>
    public string Version { get; }

    /// <summary>The peer, or null (with the reason) when ctsimtext is not on PATH.</summary>
    public static CtsimPeer? Find(string workDir, string backprojection, string filterMethod, out string reason)
    {
        string? ctsim = ChildProcess.FindOnPath("ctsimtext");
        if (ctsim is null)
        {
            reason = "ctsimtext not on PATH (apt-get install ctsim)";
            return null;
        }
        ChildResult probe = ChildProcess.Run(ctsim, ["phm2pj", "--version"], workDir, TimeSpan.FromMinutes(1));
        string version = VersionLine().Match(probe.StdOut + probe.StdErr) is { Success: true } m ? m.Groups[1].Value : "unknown version";
        reason = "";
        return new CtsimPeer(ctsim, workDir, backprojection, filterMethod, version);
    }

    /// <summary>The phm2pj arguments that reproduce <paramref name="fan"/>'s fan angle and distances.</summary>
    public static IReadOnlyList<string> ProjectionArguments(FanBeamGeometry fan, string output)
    {
        ArgumentNullException.ThrowIfNull(fan);
        // ctsim scales its geometry by the radius of the view circle: the fan just covers that circle, so
        // focal length / radius = 1 / sin(half fan angle), and the detector sits (D − R) / radius beyond the centre.
        double halfFan = fan.Channels * fan.FanAngleIncrementRad / 2;
        double fieldRadius = fan.SourceToIsocenterMm * Math.Sin(halfFan);
        return
        [
            "phm2pj", output, Invariant(fan.Channels), Invariant(fan.Views), "--phantom", "shepp-logan",
            "--geometry", "equiangular",
            "--focal-length", (fan.SourceToIsocenterMm / fieldRadius).ToString("F5", CultureInfo.InvariantCulture),
            "--center-detector-length", ((fan.SourceToDetectorMm - fan.SourceToIsocenterMm) / fieldRadius).ToString("F5", CultureInfo.InvariantCulture),
        ];
    }

    /// <summary>Runs phm2pj then pjrec <paramref name="reps"/> times; returns the projection and reconstruction measurements.</summary>
    public IReadOnlyList<Measurement> Measure(BenchmarkSlice slice, int reps)
    {
        ArgumentNullException.ThrowIfNull(slice);
        FanBeamGeometry fan = slice.Fan;
        string size = Invariant(BenchmarkSlice.ImageSize);
        string projections = Path.Combine(_workDir, "ctsim.pj");
        string image = Path.Combine(_workDir, "ctsim.if");
        IReadOnlyList<string> project = ProjectionArguments(fan, projections);
        string[] reconstruct =
        [
            "pjrec", projections, image, size, size, "--filter", "abs_bandlimit", "--filter-method", _filterMethod,
            "--interp", "linear", "--backproj", _backprojection,
        ];
        var runs = new List<(ChildResult Project, double ProjectCalc, ChildResult Reconstruct, double ReconstructCalc, double? Load)>();
        for (int rep = 0; rep < reps; rep++)
        {
            double? load = MachineInfo.LoadAverage()?.One;
            ChildResult p = Checked(ChildProcess.Run(_ctsim, project, _workDir, TimeSpan.FromHours(1)), "phm2pj");
            ChildResult r = Checked(ChildProcess.Run(_ctsim, reconstruct, _workDir, TimeSpan.FromHours(1)), "pjrec");
            // The image's history holds both steps: phm2pj's calc time first, pjrec's last.
            (double pCalc, double rCalc) = CalcTimes(image);
            runs.Add((p, pCalc, r, rCalc, load));
        }
        string stats = ChildProcess.Run(_ctsim, ["ifinfo", image, "--no-labels"], _workDir, TimeSpan.FromMinutes(5)).StdOut;
        double max = StatValue(stats, "max"), mean = StatValue(stats, "mean");
        // ctsim's Shepp–Logan has a skull of density 1 and a brain of 0.02: the image must show both.
        bool imageOk = max is > 0.8 and < 1.3 && mean is > 0 and < 0.2;
        string imageCheck = string.Create(CultureInfo.InvariantCulture, $"image max {max:F3}, mean {mean:F4} (skull 1.0 expected)");
        string projectWhat = $"analytic Shepp–Logan, equiangular fan of {slice.SinogramSize}, our fan angle and R, D relative to the field of view ({string.Join(' ', project.Skip(4))})";
        string reconstructWhat = $"fan-beam FBP (equiangular), {slice.SinogramSize} → {size}², abs_bandlimit filter, --filter-method {_filterMethod}, --interp linear, --backproj {_backprojection}";
        string impl = $"ctsim {Version}";
        long? projectPeak = runs.Max(r => r.Project.PeakRssKb), reconstructPeak = runs.Max(r => r.Reconstruct.PeakRssKb);
        double? firstLoad = runs[0].Load;
        double updates = slice.VoxelViewUpdates;
        return
        [
            new("ctsim.phm2pj", MeasurementGroup.Projection, impl, "phm2pj: " + projectWhat,
                runs.Select(r => r.ProjectCalc).ToArray(), [], null, null, projectPeak,
                "ctsim's own calc time (history of the output file)", "projection file written", true, firstLoad, "ours.analytic"),
            new("ctsim.phm2pj.wall", MeasurementGroup.Projection, impl, "phm2pj as above, whole process (start-up and writing the file included)",
                runs.Select(r => r.Project.WallSeconds).ToArray(), CpuOf(runs.Select(r => r.Project)), null, null, projectPeak,
                "wall time of the process (GNU time)", "", true, firstLoad, "ours.analytic"),
            new("ctsim.pjrec", MeasurementGroup.Reconstruction, impl, "pjrec: " + reconstructWhat,
                runs.Select(r => r.ReconstructCalc).ToArray(), [], updates, null, reconstructPeak,
                "ctsim's own calc time (history of the output file)", imageCheck, imageOk, firstLoad, "ours.fbp"),
            new("ctsim.pjrec.wall", MeasurementGroup.Reconstruction, impl, "pjrec as above, whole process (start-up, reading and writing files included)",
                runs.Select(r => r.Reconstruct.WallSeconds).ToArray(), CpuOf(runs.Select(r => r.Reconstruct)), updates, null, reconstructPeak,
                "wall time of the process (GNU time)", "", imageOk, firstLoad, "ours.fbp"),
        ];
    }

    private static double[] CpuOf(IEnumerable<ChildResult> runs) =>
        runs.All(r => r.CpuSeconds.HasValue) ? runs.Select(r => r.CpuSeconds!.Value).ToArray() : [];

    private static ChildResult Checked(ChildResult result, string command) => result.ExitCode == 0
        ? result
        : throw new InvalidOperationException($"ctsimtext {command} failed with exit code {result.ExitCode}:\n{result.StdOut}\n{result.StdErr}");

    /// <summary>The first and last "calc time = X secs" of a ctsim image's history (projection, then reconstruction).</summary>
    private (double Projection, double Reconstruction) CalcTimes(string image)
    {
        ChildResult info = ChildProcess.Run(_ctsim, ["ifinfo", image, "--no-stats"], _workDir, TimeSpan.FromMinutes(5));
        Match[] matches = CalcTimeLine().Matches(info.StdOut).ToArray();
        return matches.Length >= 2
            ? (double.Parse(matches[0].Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(matches[^1].Groups[1].Value, CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"ctsimtext ifinfo {image} did not report the calc times of phm2pj and pjrec:\n{info.StdOut}");
    }

    private static double StatValue(string stats, string name)
    {
        Match m = Regex.Match(stats, $@"^\s*{name}:\s*(\S+)", RegexOptions.Multiline);
        return m.Success && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"calc time = ([0-9.eE+-]+) secs")]
    private static partial Regex CalcTimeLine();

    [GeneratedRegex(@"Version:?\s*([0-9][0-9.]*)")]
    private static partial Regex VersionLine();
}
