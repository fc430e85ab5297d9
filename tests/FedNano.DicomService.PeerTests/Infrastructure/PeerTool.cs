using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace FedNano.DicomService.PeerTests.Infrastructure;

/// <summary>
/// Finds and runs the real peers (Orthanc, dcmtk, pydicom, Node). A test whose peer is missing is skipped: it returns
/// early and says why in its output. With FEDNANO_REQUIRE_PEERS=1 (set by CI, which installs the peers) a missing
/// peer fails the test instead, so nothing can pass silently. (The same rule as FedNano.Dicom.Tests' PeerTool.)
/// </summary>
public static class PeerTool
{
    /// <summary>True when FEDNANO_REQUIRE_PEERS=1: a missing peer fails the test instead of skipping it.</summary>
    public static bool PeersRequired => Environment.GetEnvironmentVariable("FEDNANO_REQUIRE_PEERS") == "1";

    /// <summary>The full path of <paramref name="name"/> found on PATH (or in <paramref name="extraDirectories"/>), or null.</summary>
    public static string? FindOnPath(string name, params string[] extraDirectories)
    {
        if (Path.IsPathRooted(name)) return File.Exists(name) ? name : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(extraDirectories))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>
    /// The path of tool <paramref name="name"/>, or null when it is missing and peers are not required (the reason,
    /// naming the package <paramref name="package"/>, goes to <paramref name="output"/>; the test should return).
    /// Fails the test when it is missing and FEDNANO_REQUIRE_PEERS=1.
    /// </summary>
    public static string? FindTool(string name, string package, ITestOutputHelper? output, params string[] extraDirectories)
    {
        var found = FindOnPath(name, extraDirectories);
        return found ?? Missing($"'{name}' is not on PATH (install {package}).", output);
    }

    private static readonly Dictionary<string, string?> PythonCache = [];

    /// <summary>
    /// A Python interpreter that can <c>import <paramref name="module"/></c>: <c>python3</c> on PATH first (it may be a
    /// pyenv build without Debian's modules), then <c>/usr/bin/python3</c>. Null (test should return) when none can;
    /// fails the test instead when FEDNANO_REQUIRE_PEERS=1.
    /// </summary>
    public static string? FindPython(string module, string aptPackage, ITestOutputHelper? output)
    {
        string? found;
        lock (PythonCache)
        {
            if (!PythonCache.TryGetValue(module, out found))
            {
                foreach (var candidate in new[] { FindOnPath("python3"), "/usr/bin/python3" }.Distinct())
                {
                    if (candidate is null || !File.Exists(candidate)) continue;
                    try
                    {
                        if (Exec(candidate, ["-c", $"import {module}"], TimeSpan.FromSeconds(30)).ExitCode == 0) { found = candidate; break; }
                    }
                    catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or TimeoutException) { }
                }
                PythonCache[module] = found;
            }
        }
        return found ?? Missing($"no python3 can 'import {module}' (apt-get install {aptPackage}).", output);
    }

    /// <summary>
    /// Reports a missing peer: fails the test when FEDNANO_REQUIRE_PEERS=1, otherwise writes a SKIPPED line to
    /// <paramref name="output"/> and returns null (the caller returns).
    /// </summary>
    public static string? Missing(string message, ITestOutputHelper? output)
    {
        if (PeersRequired) Assert.Fail(message + " FEDNANO_REQUIRE_PEERS=1, so this test may not be skipped.");
        output?.WriteLine("SKIPPED: " + message + " Set FEDNANO_REQUIRE_PEERS=1 to make this a failure.");
        return null;
    }

    /// <summary>
    /// Runs a tool with a time limit and returns its exit code and output. On timeout the process tree is killed and
    /// a <see cref="TimeoutException"/> is thrown.
    /// </summary>
    public static PeerResult Exec(string path, IEnumerable<string> arguments, TimeSpan? timeout = null, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        if (environment is not null) foreach (var (k, v) in environment) psi.Environment[k] = v;
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {path}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit(5000);
            throw new TimeoutException($"{Path.GetFileName(path)} {string.Join(' ', psi.ArgumentList)} did not finish within {limit.TotalSeconds} s.");
        }
        process.WaitForExit();
        return new PeerResult(process.ExitCode, stdout.Result, stderr.Result, watch.Elapsed);
    }
}

/// <summary>What a peer tool run produced.</summary>
/// <param name="ExitCode">Process exit code.</param>
/// <param name="StdOut">Standard output.</param>
/// <param name="StdErr">Standard error.</param>
/// <param name="Elapsed">Wall-clock time.</param>
public sealed record PeerResult(int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed)
{
    /// <summary>Fails the test with the output when the exit code is not 0; returns this result otherwise.</summary>
    public PeerResult EnsureSuccess(string what)
    {
        if (ExitCode != 0) Assert.Fail($"{what} exited with {ExitCode}:\n{StdOut}\n{StdErr}");
        return this;
    }
}
