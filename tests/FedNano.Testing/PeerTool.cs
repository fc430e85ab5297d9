using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace FedNano.Testing;

/// <summary>
/// Finds and runs outside tools (dcmtk, GDCM, Orthanc …) that tests cross-check against. A test that needs a
/// missing tool is skipped (it returns early and says why in its output) unless FEDNANO_REQUIRE_PEERS=1, in which
/// case it fails: CI installs the peers and sets the variable so that a missing tool cannot pass silently.
/// </summary>
public static class PeerTool
{
    /// <summary>True when FEDNANO_REQUIRE_PEERS=1: a missing tool fails the test instead of skipping it.</summary>
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
            if (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe")) return candidate + ".exe";
        }
        return null;
    }

    /// <summary>
    /// The path of tool <paramref name="name"/>, or null when it is missing and peers are not required (the reason
    /// is written to <paramref name="output"/>; the test should return). Fails the test when it is missing and
    /// FEDNANO_REQUIRE_PEERS=1.
    /// </summary>
    public static string? Find(string name, ITestOutputHelper? output = null)
    {
        var found = FindOnPath(name);
        if (found is not null) return found;
        var message = $"'{name}' is not on PATH (install dcmtk / the peer package).";
        if (PeersRequired) Assert.Fail(message + " FEDNANO_REQUIRE_PEERS=1, so this test may not be skipped.");
        output?.WriteLine("SKIPPED: " + message + " Set FEDNANO_REQUIRE_PEERS=1 to make this a failure.");
        return null;
    }

    /// <summary>Runs a tool and returns its exit code and output; fails the test if it runs longer than <paramref name="timeout"/>.</summary>
    public static (int ExitCode, string StdOut, string StdErr) Run(string path, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {path}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(path)} did not finish within {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds} s.");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs a tool and fails the test with its output when it exits with a non-zero code.</summary>
    public static string RunChecked(string path, params string[] arguments)
    {
        var (code, stdout, stderr) = Run(path, arguments);
        if (code != 0)
            Assert.Fail($"{Path.GetFileName(path)} {string.Join(' ', arguments)} exited with {code}:\n{stdout}\n{stderr}");
        return stdout + stderr;
    }

    /// <summary>
    /// Like <see cref="Find"/>, but the message names the Debian package that provides the tool
    /// (for example <c>dcmtk</c>, <c>libgdcm-tools</c>, <c>dicom3tools</c>).
    /// </summary>
    public static string? FindTool(string name, string aptPackage, ITestOutputHelper? output = null, params string[] extraDirectories)
    {
        var found = FindOnPath(name, extraDirectories);
        if (found is not null) return found;
        return Missing($"'{name}' is not on PATH (apt-get install {aptPackage}).", output);
    }

    private static readonly Dictionary<string, string?> PythonCache = [];

    /// <summary>
    /// A Python interpreter that can <c>import <paramref name="module"/></c>: <c>python3</c> on PATH first (it may
    /// be a pyenv build without Debian's modules), then <c>/usr/bin/python3</c>. Null (test should return) when
    /// none can; fails the test instead when FEDNANO_REQUIRE_PEERS=1.
    /// </summary>
    public static string? FindPython(string module, string aptPackage, ITestOutputHelper? output = null)
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
                        var r = Exec(candidate, ["-c", $"import {module}"], TimeSpan.FromSeconds(30), failOnTimeout: false);
                        if (r.ExitCode == 0) { found = candidate; break; }
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
    /// Runs a tool with a time limit and returns exit code and output decoded with <paramref name="encoding"/>
    /// (default UTF-8; pass <see cref="Encoding.Latin1"/> to see raw value bytes one char per byte). On timeout
    /// the process tree is killed and the test fails (or, with <paramref name="failOnTimeout"/> false, a
    /// <see cref="TimeoutException"/> is thrown).
    /// </summary>
    public static PeerResult Exec(string path, IEnumerable<string> arguments, TimeSpan? timeout = null, Encoding? encoding = null,
        string? stdin = null, string? workingDirectory = null, bool failOnTimeout = true,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            StandardOutputEncoding = encoding ?? Encoding.UTF8,
            StandardErrorEncoding = encoding ?? Encoding.UTF8,
        };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        if (environment is not null) foreach (var (k, v) in environment) psi.Environment[k] = v;
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {path}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(limit))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit(5000);
            var message = $"{Path.GetFileName(path)} {string.Join(' ', psi.ArgumentList)} did not finish within {limit.TotalSeconds} s.";
            if (failOnTimeout) Assert.Fail(message);
            throw new TimeoutException(message);
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
