using System.Diagnostics;
using System.Reflection;

namespace FedNano.Testing;

/// <summary>
/// Our DICOMweb server as a real process: <c>dotnet FedNano.DicomService.dll --urls http://127.0.0.1:{free port}
/// --Storage:DataDirectory={dir}</c>, ready once <c>/health</c> answers 200. Output is captured for failure messages.
/// <see cref="Kill"/> is kill -9; <see cref="StartAsync"/> on the same data directory is a restart.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly TempDirectory? _ownedData;
    private bool _disposed;

    private readonly TestPki? _https;

    private ServerProcess(ChildProcess process, int port, string dataDirectory, TempDirectory? ownedData, TestPki? https)
    {
        _process = process;
        _ownedData = ownedData;
        _https = https;
        Port = port;
        DataDirectory = dataDirectory;
        BaseAddress = new Uri($"{Scheme}://127.0.0.1:{port}/");
        Http = new HttpClient(NewHandler()) { BaseAddress = new Uri(DicomWebRoot + "/"), Timeout = TimeSpan.FromMinutes(3) };
    }

    private HttpMessageHandler NewHandler() => _https?.TrustingHandler() ?? new SocketsHttpHandler();

    /// <summary><c>https</c> when started with a certificate, else <c>http</c>.</summary>
    public string Scheme => _https is null ? "http" : "https";

    /// <summary>The port it listens on (loopback).</summary>
    public int Port { get; }

    /// <summary><c>http(s)://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The DICOMweb root without a trailing slash: <c>http(s)://127.0.0.1:{port}/dicomweb</c>.</summary>
    public string DicomWebRoot => $"{Scheme}://127.0.0.1:{Port}/dicomweb";

    /// <summary>The data directory (instances/, staging/, index.db).</summary>
    public string DataDirectory { get; }

    /// <summary>A client whose base address is the DICOMweb root with a trailing slash (use relative paths like <c>studies?…</c>).</summary>
    public HttpClient Http { get; }

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The server's captured output (tail), for failure messages.</summary>
    public string OutputTail(int maxChars = 6000) => _process.OutputTail(maxChars);

    /// <summary>
    /// Starts the server on a free loopback port with <paramref name="dataDirectory"/> (a fresh temporary directory,
    /// deleted on dispose, when null) and waits until <c>/health</c> answers 200.
    /// </summary>
    /// <param name="dataDirectory">Data directory; a fresh temporary one when null.</param>
    /// <param name="timeout">How long to wait for /health.</param>
    /// <param name="settings">More command-line settings, e.g. <c>--Reconstruction:AutoReconstruct=false</c>.</param>
    /// <param name="port">Listen on this loopback port (e.g. one a client was already pointed at) instead of a free one.</param>
    /// <param name="https">Serve https only, with Kestrel's default certificate set to this PKI's server certificate.</param>
    public static async Task<ServerProcess> StartAsync(string? dataDirectory = null, TimeSpan? timeout = null, IEnumerable<string>? settings = null, int? port = null,
        TestPki? https = null)
    {
        var dll = FindServerDll();
        var owned = dataDirectory is null ? new TempDirectory("data") : null;
        var data = dataDirectory ?? owned!.Path;
        var dotnet = FindDotnet();
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var listen = port ?? ChildProcess.FreePort();
            string[] tls = https is null ? [] : [$"--Kestrel:Certificates:Default:Path={https.ServerPfx}", $"--Kestrel:Certificates:Default:Password={TestPki.PfxPassword}"];
            var child = ChildProcess.Start("fednano", dotnet,
                [dll, "--urls", $"{(https is null ? "http" : "https")}://127.0.0.1:{listen}", $"--Storage:DataDirectory={data}",
                    "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information", .. tls, .. settings ?? []],
                workingDirectory: Path.GetDirectoryName(dll),
                environment: new Dictionary<string, string?>
                {
                    ["ASPNETCORE_ENVIRONMENT"] = "Production",
                    ["ASPNETCORE_URLS"] = null,
                    ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                });
            var server = new ServerProcess(child, listen, data, owned, https);
            try
            {
                await server.WaitHealthyAsync(timeout ?? TimeSpan.FromSeconds(60)).ConfigureAwait(false);
                return server;
            }
            catch (Exception ex)
            {
                last = ex;
                var output = child.Output;
                server.Http.Dispose();
                child.Dispose();
                // Another process took the port between FreePort and bind: try another one.
                if (!output.Contains("address already in use", StringComparison.OrdinalIgnoreCase)) break;
            }
        }
        owned?.Dispose();
        throw last!;
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var probe = new HttpClient(NewHandler()) { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        string? lastProblem = null;
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} before /health answered.\n{_process.OutputTail()}");
            try
            {
                using var response = await probe.GetAsync(new Uri(BaseAddress, "health")).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) return;
                lastProblem = $"/health answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}";
            }
            catch (HttpRequestException ex) { lastProblem = ex.Message; }
            catch (TaskCanceledException ex) { lastProblem = ex.Message; }
            await Task.Delay(100).ConfigureAwait(false);
        }
        throw new TimeoutException($"The server did not become healthy within {timeout.TotalSeconds} s ({lastProblem}).\n{_process.OutputTail()}");
    }

    /// <summary>kill -9 the server (SIGKILL; no shutdown code runs).</summary>
    public void Kill() => _process.KillHard();

    /// <summary>Stops the server gracefully (SIGTERM, then SIGKILL after a grace period).</summary>
    public Task StopAsync() => _process.StopAsync(TimeSpan.FromSeconds(10));

    /// <summary>Stops the server and deletes its data directory when this instance created it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        Http.Dispose();
        await StopAsync().ConfigureAwait(false);
        _process.Dispose();
        _ownedData?.Dispose();
    }

    /// <summary>
    /// FedNano.DicomService.dll: <c>FEDNANO_SERVER_DLL</c> when set, else the server project's own build output for
    /// this configuration (built through the ProjectReference, with its deps.json, runtimeconfig.json and
    /// appsettings.json), else the copy in the test output folder.
    /// </summary>
    public static string FindServerDll()
    {
        var overridden = Environment.GetEnvironmentVariable("FEDNANO_SERVER_DLL");
        if (!string.IsNullOrEmpty(overridden))
            return File.Exists(overridden) ? Path.GetFullPath(overridden) : throw new FileNotFoundException($"FEDNANO_SERVER_DLL={overridden} does not exist.");

        var baseDir = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var tfm = Path.GetFileName(baseDir);
        var configuration = typeof(ServerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
            ?? Path.GetFileName(Path.GetDirectoryName(baseDir)) ?? "Debug";
        for (var dir = new DirectoryInfo(baseDir); dir is not null; dir = dir.Parent)
        {
            var serverProject = Path.Combine(dir.FullName, "DicomService", "Server");
            if (!Directory.Exists(serverProject)) continue;
            var candidate = Path.Combine(serverProject, "bin", configuration, tfm, "FedNano.DicomService.dll");
            if (File.Exists(candidate) && File.Exists(Path.ChangeExtension(candidate, ".runtimeconfig.json"))) return candidate;
            break;
        }
        var local = Path.Combine(baseDir, "FedNano.DicomService.dll");
        if (File.Exists(local)) return local;
        throw new FileNotFoundException($"FedNano.DicomService.dll was found neither in DicomService/Server/bin/{configuration}/{tfm} nor in {baseDir}; build the solution (or set FEDNANO_SERVER_DLL).");
    }

    /// <summary>The dotnet host: DOTNET_HOST_PATH (set by the dotnet CLI for the processes it starts), else dotnet on PATH.</summary>
    public static string FindDotnet()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var process = Environment.ProcessPath;
        if (process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet") return process;
        return PeerTool.FindOnPath("dotnet") ?? "dotnet";
    }
}
