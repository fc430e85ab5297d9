using System.Diagnostics;
using System.Globalization;

namespace FedNano.Samples.ReconBenchmark;

/// <summary>What one child process did: exit code, output, and GNU time's wall, CPU and peak memory figures.</summary>
/// <param name="ExitCode">Exit status.</param>
/// <param name="StdOut">Standard output.</param>
/// <param name="StdErr">Standard error (GNU time's own line removed).</param>
/// <param name="WallSeconds">Elapsed wall time of the process (GNU time when present, else a Stopwatch around it).</param>
/// <param name="CpuSeconds">User + system CPU time of the process, or null without GNU time.</param>
/// <param name="PeakRssKb">Maximum resident set size (KiB), or null without GNU time.</param>
internal sealed record ChildResult(int ExitCode, string StdOut, string StdErr, double WallSeconds, double? CpuSeconds, long? PeakRssKb);

/// <summary>
/// Runs a child process to completion, under GNU time (<c>/usr/bin/time</c>, Debian package <c>time</c>) when it is
/// installed so that wall time, CPU time and peak resident memory are measured the same way for every tool.
/// </summary>
internal static class ChildProcess
{
    private const string GnuTime = "/usr/bin/time";

    /// <summary>True when GNU time is installed.</summary>
    public static bool HasGnuTime => File.Exists(GnuTime);

    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/> in <paramref name="workDir"/>.</summary>
    /// <exception cref="TimeoutException">The process ran longer than <paramref name="timeout"/> (it is killed).</exception>
    public static ChildResult Run(string fileName, IReadOnlyList<string> arguments, string workDir, TimeSpan timeout)
    {
        string? timeFile = HasGnuTime ? Path.Combine(workDir, $"time-{Guid.NewGuid():N}.txt") : null;
        var psi = new ProcessStartInfo(timeFile is null ? fileName : GnuTime)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDir,
        };
        if (timeFile is not null)
        {
            foreach (string a in new[] { "-f", "%e %U %S %M", "-o", timeFile, fileName })
            {
                psi.ArgumentList.Add(a);
            }
        }
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }
        long start = Stopwatch.GetTimestamp();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(fileName)} ran longer than {timeout.TotalMinutes:F0} min and was stopped.");
        }
        process.WaitForExit();
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double? cpu = null;
        long? peak = null;
        if (timeFile is not null && File.Exists(timeFile))
        {
            // The last line is ours; an earlier one may be "Command exited with non-zero status N".
            string[] fields = File.ReadAllLines(timeFile).LastOrDefault(l => l.Length > 0)?.Split(' ') ?? [];
            if (fields.Length == 4
                && double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double e)
                && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double u)
                && double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double s)
                && long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out long m))
            {
                wall = e;
                cpu = u + s;
                peak = m;
            }
            File.Delete(timeFile);
        }
        return new ChildResult(process.ExitCode, stdout.Result, stderr.Result, wall, cpu, peak);
    }

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
