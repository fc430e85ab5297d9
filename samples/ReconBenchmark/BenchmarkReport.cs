using System.Globalization;
using System.Text;

namespace FedNano.Samples.ReconBenchmark;

/// <summary>The tables of one run, as plain text for the console and as Markdown for RESULTS.md.</summary>
internal sealed class BenchmarkReport(
    MachineInfo machine,
    BenchmarkOptions options,
    StreamResult stream,
    BackprojectionBound bound,
    IReadOnlyList<Measurement> measurements,
    IReadOnlyList<string> warnings,
    string loadAtStart,
    string loadAtEnd)
{
    /// <summary>The ratio to the bandwidth bound the backprojection should stay within.</summary>
    public const double BoundTarget = 10.0;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly (MeasurementGroup Group, string Title)[] Groups =
    [
        (MeasurementGroup.Reconstruction, $"Reconstruction: FBP of one {BenchmarkSlice.ImageSize} × {BenchmarkSlice.ImageSize} slice from {new BenchmarkSlice().SinogramSize}"),
        (MeasurementGroup.Projection, "Forward projection"),
    ];

    /// <summary>Writes the plain-text report.</summary>
    public void WriteText(TextWriter o)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.WriteLine($"machine: {machine.Describe()}");
        o.WriteLine($"load average (1 / 5 / 15 min): {loadAtStart} at start, {loadAtEnd} at end");
        o.WriteLine();
        foreach ((MeasurementGroup group, string title) in Groups)
        {
            o.WriteLine($"== {title} ==");
            o.WriteLine($"{"id",-20} {"median s",9} {"min s",9} {"CPU s",8} {"Gupd/s",7} {"Gsmp/s",7} {"peak MiB",8} {"alloc MiB",9} {"÷ ours",7} {"load1",6}  check");
            foreach (Measurement m in InGroup(group))
            {
                o.WriteLine(string.Create(Inv,
                    $"{m.Id,-20} {m.Median,9:F4} {m.Min,9:F4} {Cpu(m),8} {Rate(m.UpdatesPerRun, m),7} {Rate(m.SamplesPerRun, m),7} {Peak(m),8} {Allocated(m),9} {Ratio(m),7} {Load(m),6}  {(m.Ok ? "ok" : "FAILED")}"));
            }
            o.WriteLine();
            string previousCheck = "";
            foreach (Measurement m in InGroup(group))
            {
                string check = m.Check.Length == 0 || m.Check == previousCheck ? "" : " Check: " + m.Check + ".";
                previousCheck = m.Check;
                o.WriteLine($"  {m.Id}: {m.Implementation}: {m.What}. Time: {m.TimeSource}.{check}");
            }
            o.WriteLine();
        }
        o.WriteLine("Gupd/s = 10⁹ voxel-view updates per second (image pixels × views ÷ median time); Gsmp/s = 10⁹ ray samples per second;");
        o.WriteLine("peak MiB = peak resident memory of the whole process (runtime and input data included); alloc MiB = managed memory one call of ours allocates;");
        o.WriteLine("÷ ours = that row's median time ÷ the median time of the row of ours it is compared with (above 1: ours is faster).");
        o.WriteLine();
        o.WriteLine(string.Create(Inv,
            $"memory bandwidth (STREAM-like, {stream.Threads} threads, 3 × {stream.ArrayBytes >> 20} MiB, best of {stream.Reps}): copy {stream.CopyGBps:F1}, scale {stream.ScaleGBps:F1}, add {stream.AddGBps:F1}, triad {stream.TriadGBps:F1} GB/s"));
        o.WriteLine($"bandwidth bound of a view-by-view backprojection: {bound.Formula}");
        foreach (string line in Targets())
        {
            o.WriteLine(line);
        }
        foreach (string warning in warnings)
        {
            o.WriteLine("WARNING: " + warning);
        }
    }

    /// <summary>The report as Markdown (RESULTS.md-ready sections).</summary>
    public string Markdown()
    {
        var s = new StringBuilder();
        s.AppendLine(Inv, $"### Run of {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC{(options.Quick ? " (--quick)" : "")}");
        s.AppendLine();
        s.AppendLine(Inv, $"* **Machine:** {machine.Describe()}");
        s.AppendLine(Inv, $"* **Load average** (1 / 5 / 15 min): {loadAtStart} at start, {loadAtEnd} at end; the 1-minute value when each measurement started is in the *load* column.");
        s.AppendLine(Inv, $"* **Repetitions:** ours {options.Reps} timed after one warm-up (3D helical: {options.HelicalReps}, after a {HelicalWorkload.WarmUpViews}-view warm-up); each peer {options.PeerReps}.");
        foreach (string warning in warnings)
        {
            s.AppendLine(Inv, $"* **Warning:** {warning}");
        }
        s.AppendLine();
        foreach ((MeasurementGroup group, string title) in Groups)
        {
            s.AppendLine(Inv, $"#### {title}");
            s.AppendLine();
            s.AppendLine("| id | implementation | what | median s | min s | CPU s | voxel-view updates/s | ray samples/s | peak RSS MiB | allocated MiB per call | time ÷ ours | load | check |");
            s.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            string previousCheck = "";
            foreach (Measurement m in InGroup(group))
            {
                // Rows from one worker share its check: spell it out once.
                string check = m.Check.Length == 0 ? "" : m.Check == previousCheck ? ": as above" : ": " + m.Check;
                previousCheck = m.Check;
                s.AppendLine(string.Create(Inv,
                    $"| {m.Id} | {m.Implementation} | {m.What} | {m.Median:F4} | {m.Min:F4} | {Cpu(m)} | {Rate(m.UpdatesPerRun, m, " G")} | {Rate(m.SamplesPerRun, m, " G")} | {Peak(m)} | {Allocated(m)} | {Ratio(m)} | {Load(m)} | {(m.Ok ? "ok" : "**FAILED**")}{check} |"));
            }
            s.AppendLine();
        }
        s.AppendLine("#### Memory-bandwidth bound");
        s.AppendLine();
        s.AppendLine("| kernel | GB/s |");
        s.AppendLine("|---|---:|");
        s.AppendLine(Inv, $"| copy | {stream.CopyGBps:F1} |");
        s.AppendLine(Inv, $"| scale | {stream.ScaleGBps:F1} |");
        s.AppendLine(Inv, $"| add | {stream.AddGBps:F1} |");
        s.AppendLine(Inv, $"| triad | {stream.TriadGBps:F1} |");
        s.AppendLine();
        s.AppendLine(Inv, $"STREAM-like, {stream.Threads} threads, 3 arrays of {stream.ArrayBytes >> 20} MiB, best of {stream.Reps}. Bound of a view-by-view backprojection: {bound.Formula}.");
        s.AppendLine();
        foreach (string line in Targets())
        {
            s.AppendLine("* " + line);
        }
        s.AppendLine();
        s.AppendLine("How each time is measured:");
        s.AppendLine();
        foreach (var source in measurements.GroupBy(m => m.TimeSource))
        {
            s.AppendLine(Inv, $"* {string.Join(", ", source.Select(m => $"`{m.Id}`"))}: {source.Key}.");
        }
        return s.ToString();
    }

    private IEnumerable<string> Targets()
    {
        Measurement? Find(string id) => measurements.FirstOrDefault(m => m.Id == id);
        if (Find("ours.backprojection") is { } bp)
        {
            double ratio = bp.Median / bound.Seconds;
            yield return string.Create(Inv,
                $"backprojection ÷ bandwidth bound: {ratio:F1}× (median {bp.Median * 1e3:F1} ms, min {bp.Min * 1e3:F1} ms ÷ {bound.Seconds * 1e3:F1} ms); target ≤ {BoundTarget}×: {(ratio <= BoundTarget ? "met" : "NOT met")}");
        }
        if (Find("ours.fbp") is { } fbp)
        {
            double ratio = fbp.Median / bound.Seconds;
            yield return string.Create(Inv, $"whole FBP (filter + backprojection) ÷ bandwidth bound: {ratio:F1}×");
        }
        foreach ((string ours, string[] peers) in new[]
        {
            ("ours.fbp", new[] { "skimage.iradon", "ctsim.pjrec" }),
            ("ours.joseph2d", new[] { "skimage.radon" }),
            ("ours.analytic", new[] { "ctsim.phm2pj" }),
        })
        {
            if (Find(ours) is not { } o)
            {
                continue;
            }
            var present = peers.Select(Find).OfType<Measurement>().ToList();
            if (present.Count == 0)
            {
                yield return $"{ours}: no peer ran";
                continue;
            }
            string detail = string.Join(", ", present.Select(p => string.Create(Inv, $"{p.Id} {p.Median / o.Median:F1}× slower")));
            bool faster = present.All(p => p.Median > o.Median);
            yield return $"{ours} faster than {string.Join(" and ", present.Select(p => p.Id))}: {(faster ? "yes" : "NO")} ({detail})";
        }
    }

    private IEnumerable<Measurement> InGroup(MeasurementGroup group) => measurements.Where(m => m.Group == group);

    private string Ratio(Measurement m)
    {
        if (m.ComparedWith is null)
        {
            return m.Id.StartsWith("ours.", StringComparison.Ordinal) ? "" : "—";
        }
        Measurement? ours = measurements.FirstOrDefault(x => x.Id == m.ComparedWith);
        return ours is null ? "—" : (m.Median / ours.Median).ToString("F1", Inv);
    }

    private static string Cpu(Measurement m) => m.MedianCpu is { } c ? c.ToString("F3", Inv) : "—";

    private static string Rate(double? perRun, Measurement m, string unit = "") =>
        perRun is { } n ? (n / m.Median / 1e9).ToString("F3", Inv) + unit : "—";

    private static string Peak(Measurement m) => m.PeakRssKb is { } kb ? (kb / 1024.0).ToString("F0", Inv) : "—";

    private static string Allocated(Measurement m) => m.AllocatedBytesPerRun is { } b ? (b / 1048576.0).ToString("F1", Inv) : "—";

    private static string Load(Measurement m) => m.LoadAtStart is { } l ? l.ToString("F2", Inv) : "—";
}
