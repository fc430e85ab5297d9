using System.Diagnostics;

namespace FedNano.Samples.ReconBenchmark;

/// <summary>Wall time, CPU time of the whole process (all threads) and managed bytes allocated by one call.</summary>
internal readonly record struct CallTiming(double WallSeconds, double CpuSeconds, long AllocatedBytes)
{
    /// <summary>Times <paramref name="action"/>.</summary>
    public static CallTiming Measure(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        TimeSpan cpu = CpuTime();
        long start = Stopwatch.GetTimestamp();
        action();
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new CallTiming(wall, (CpuTime() - cpu).TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
