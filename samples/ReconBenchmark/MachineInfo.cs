using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace FedNano.Samples.ReconBenchmark;

/// <summary>What the numbers were measured on: CPU, cores, memory, cache and how busy the machine was.</summary>
internal sealed record MachineInfo(string CpuModel, int LogicalCores, long MemoryKb, long? L3CacheBytes, string Runtime, string Os)
{
    /// <summary>Reads the machine's description from /proc, getconf and the runtime.</summary>
    public static MachineInfo Read() => new(
        ReadCpuModel(),
        Environment.ProcessorCount,
        ReadMemTotalKb(),
        ReadL3Bytes(),
        $".NET {Environment.Version}",
        RuntimeInformation.OSDescription);

    /// <summary>The 1-, 5- and 15-minute load averages, or null where /proc/loadavg is missing.</summary>
    public static (double One, double Five, double Fifteen)? LoadAverage()
    {
        try
        {
            string[] parts = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture),
                double.Parse(parts[2], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>"1.23 / 2.34 / 3.45" or "n/a".</summary>
    public static string LoadAverageText() => LoadAverage() is { } l
        ? string.Create(CultureInfo.InvariantCulture, $"{l.One:F2} / {l.Five:F2} / {l.Fifteen:F2}")
        : "n/a";

    /// <summary>One line describing the machine.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{CpuModel}, {LogicalCores} logical CPUs, {MemoryKb / 1048576.0:F1} GiB RAM, L3 {(L3CacheBytes is { } l3 ? $"{l3 / 1048576.0:F0} MiB (as getconf reports it)" : "unknown")}; {Runtime}; {Os}");

    private static string ReadCpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                ?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    private static long ReadMemTotalKb()
    {
        try
        {
            string? line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[9..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    /// <summary>L3 size from sysfs, else from getconf (which asks CPUID; virtual machines often hide sysfs caches).</summary>
    private static long? ReadL3Bytes()
    {
        const string sysfs = "/sys/devices/system/cpu/cpu0/cache/index3/size";
        try
        {
            if (File.Exists(sysfs))
            {
                string text = File.ReadAllText(sysfs).Trim();
                if (text.EndsWith('K') && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb))
                {
                    return kb * 1024;
                }
            }
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "LEVEL3_CACHE_SIZE")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (getconf is null)
            {
                return null;
            }
            string output = getconf.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return long.TryParse(output, NumberStyles.None, CultureInfo.InvariantCulture, out long bytes) && bytes > 0 ? bytes : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
