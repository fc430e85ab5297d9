using System.Globalization;

namespace FedNano.Samples.ReconBenchmark;

/// <summary>
/// Our side of each measurement, run in its own process (as the peers are) so that its peak memory is measured
/// the same way and one measurement's heap does not inflate the next one's. Prints <see cref="ResultLines"/>.
/// </summary>
internal static class OurWorker
{
    public const string Flag = "--worker";

    /// <summary>The workloads a worker can run.</summary>
    public static readonly IReadOnlyList<string> Modes = ["analytic", "fbp", "joseph2d", "helical"];

    /// <summary>args: MODE REPS [ROWS]. Returns 0, 1 when the result check failed, 2 on bad arguments.</summary>
    public static int Run(string[] args)
    {
        int rows = 64;
        if (args.Length < 2 || args.Length > 3 || !Modes.Contains(args[0])
            || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int reps) || reps < 1
            || (args.Length == 3 && !int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out rows)))
        {
            Console.Error.WriteLine($"usage: {Flag} {string.Join('|', Modes)} REPS [ROWS]");
            return 2;
        }
        bool ok = args[0] switch
        {
            "analytic" => SliceWorkloads.AnalyticProjection(reps),
            "fbp" => SliceWorkloads.FilteredBackprojection(reps),
            "joseph2d" => SliceWorkloads.JosephProjection(reps),
            _ => HelicalWorkload.Run(reps, rows),
        };
        ResultLines.Write("ok", ok ? 1 : 0);
        ResultLines.Write("peak_rss_kb", PeakRssKb());
        return ok ? 0 : 1;
    }

    /// <summary>Writes <c>{id}.seconds</c>, <c>{id}.cpu</c> and <c>{id}.alloc_bytes</c> (median) for timed calls.</summary>
    public static void Report(string id, IReadOnlyList<CallTiming> timings)
    {
        ResultLines.Write(id + ".seconds", timings.Select(t => t.WallSeconds));
        ResultLines.Write(id + ".cpu", timings.Select(t => t.CpuSeconds));
        ResultLines.Write(id + ".alloc_bytes", timings.Select(t => (double)t.AllocatedBytes).Order().ElementAt(timings.Count / 2));
    }

    /// <summary>VmHWM of this process (KiB), the same figure GNU time reports as maximum resident set size.</summary>
    private static long PeakRssKb()
    {
        try
        {
            string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }
}
