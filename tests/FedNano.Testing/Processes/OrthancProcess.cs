using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FedNano.Testing;

/// <summary>
/// Orthanc 1.10 with its DICOMweb plugin, started as a real process with a private configuration in a temporary
/// directory (its own storage and index, free HTTP and DICOM ports on loopback, no authentication) and with our server
/// registered as the DICOMweb server <c>fednano</c>. Ready once <c>/system</c> answers.
/// </summary>
public sealed class OrthancProcess : IAsyncDisposable
{
    /// <summary>The name our server has in Orthanc's <c>DicomWeb.Servers</c>.</summary>
    public const string ServerName = "fednano";

    private static readonly string[] PluginCandidates =
    [
        "/usr/share/orthanc/plugins/libOrthancDicomWeb.so",
        "/usr/lib/orthanc/libOrthancDicomWeb.so",
        "/usr/local/share/orthanc/plugins/libOrthancDicomWeb.so",
    ];

    private ChildProcess _process;
    private readonly TempDirectory _directory;
    private readonly string _executable;
    private bool _disposed;

    private OrthancProcess(ChildProcess process, TempDirectory directory, int httpPort, (string User, string Password)? basicAuth, string executable)
    {
        _process = process;
        _executable = executable;
        _directory = directory;
        HttpPort = httpPort;
        BasicAuth = basicAuth;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromMinutes(3) };
        if (basicAuth is { } a)
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{a.User}:{a.Password}")));
    }

    /// <summary>The Basic credentials Orthanc requires, when started with them.</summary>
    public (string User, string Password)? BasicAuth { get; }

    /// <summary>Orthanc's DICOMweb root without a trailing slash: <c>http://127.0.0.1:{port}/dicom-web</c>.</summary>
    public string DicomWebRoot => $"http://127.0.0.1:{HttpPort}/dicom-web";

    /// <summary>Orthanc's HTTP port (REST API and <c>/dicom-web/</c>).</summary>
    public int HttpPort { get; }

    /// <summary>A client for Orthanc's REST API.</summary>
    public HttpClient Http { get; }

    /// <summary>Orthanc's captured log (tail), for failure messages.</summary>
    public string OutputTail(int maxChars = 6000) => _process.OutputTail(maxChars);

    /// <summary>The Orthanc executable, or null (the reason is in <paramref name="reason"/>).</summary>
    public static string? FindExecutable(out string reason)
    {
        var exe = PeerTool.FindOnPath("Orthanc", "/usr/sbin", "/usr/local/sbin");
        reason = exe is null ? "'Orthanc' is not installed (apt-get install orthanc orthanc-dicomweb)." : "";
        return exe;
    }

    /// <summary>The DICOMweb plugin library, or null.</summary>
    public static string? FindPlugin(out string reason)
    {
        foreach (var candidate in PluginCandidates)
            if (File.Exists(candidate)) { reason = ""; return candidate; }
        var versioned = Directory.Exists("/usr/lib/orthanc")
            ? Directory.EnumerateFiles("/usr/lib/orthanc", "libOrthancDicomWeb.so*").FirstOrDefault()
            : null;
        reason = versioned is null ? "the Orthanc DICOMweb plugin is not installed (apt-get install orthanc-dicomweb)." : "";
        return versioned;
    }

    /// <summary>Starts Orthanc with <paramref name="fednanoDicomWebRoot"/> (e.g. <c>http://127.0.0.1:5080/dicomweb</c>) as the DICOMweb server <c>fednano</c>.</summary>
    /// <param name="executable">The Orthanc binary.</param>
    /// <param name="plugin">The DICOMweb plugin library.</param>
    /// <param name="fednanoDicomWebRoot">Our server's DICOMweb root, registered as DICOMweb server <see cref="ServerName"/>.</param>
    /// <param name="basicAuth">When given, Orthanc requires these HTTP Basic credentials on every request.</param>
    public static async Task<OrthancProcess> StartAsync(string executable, string plugin, string fednanoDicomWebRoot, (string User, string Password)? basicAuth = null)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var directory = new TempDirectory("orthanc");
            var httpPort = ChildProcess.FreePort();
            var dicomPort = ChildProcess.FreePort();
            var storage = directory.Combine("storage");
            Directory.CreateDirectory(storage);
            var config = new JsonObject
            {
                ["Name"] = "FEDNANO-PEER",
                ["StorageDirectory"] = storage,
                ["IndexDirectory"] = storage,
                ["HttpPort"] = httpPort,
                ["DicomPort"] = dicomPort,
                ["DicomAet"] = "PEERORTHANC",
                ["RemoteAccessAllowed"] = false,
                ["AuthenticationEnabled"] = basicAuth is not null,
                ["RegisteredUsers"] = basicAuth is { } auth ? new JsonObject { [auth.User] = auth.Password } : new JsonObject(),
                ["HttpCompressionEnabled"] = false,
                ["HttpTimeout"] = 120,
                ["SaveJobs"] = false,
                ["StableAge"] = 2,
                ["Plugins"] = new JsonArray(plugin),
                ["DicomWeb"] = new JsonObject
                {
                    ["Enable"] = true,
                    ["Root"] = "/dicom-web/",
                    ["EnableWado"] = false,
                    ["Servers"] = new JsonObject
                    {
                        [ServerName] = new JsonObject { ["Url"] = fednanoDicomWebRoot.TrimEnd('/') + "/" },
                    },
                },
            };
            var configDir = directory.Combine("config");
            Directory.CreateDirectory(configDir);
            await File.WriteAllTextAsync(Path.Combine(configDir, "orthanc.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);

            var child = ChildProcess.Start("orthanc", executable, [configDir], workingDirectory: directory.Path);
            var orthanc = new OrthancProcess(child, directory, httpPort, basicAuth, executable);
            try
            {
                await orthanc.WaitReadyAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
                return orthanc;
            }
            catch (Exception ex)
            {
                last = ex;
                var output = child.Output;
                await orthanc.DisposeAsync().ConfigureAwait(false);
                if (!output.Contains("port", StringComparison.OrdinalIgnoreCase)) break; // not a port clash: do not retry
            }
        }
        throw last!;
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        string? lastProblem = null;
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"Orthanc exited with code {_process.ExitCode} before /system answered.\n{_process.OutputTail()}");
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using var response = await Http.GetAsync(new Uri("system", UriKind.Relative), cts.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) return;
                lastProblem = $"/system answered {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex) { lastProblem = ex.Message; }
            catch (OperationCanceledException ex) { lastProblem = ex.Message; }
            await Task.Delay(100).ConfigureAwait(false);
        }
        throw new TimeoutException($"Orthanc did not answer /system within {timeout.TotalSeconds} s ({lastProblem}).\n{_process.OutputTail()}");
    }

    /// <summary>A REST call's status and body text.</summary>
    public sealed record Reply(int Status, string Body, byte[] Bytes, string? ContentType)
    {
        /// <summary>The body as JSON.</summary>
        public JsonNode? Json => JsonNode.Parse(Body);
    }

    /// <summary>POST <paramref name="path"/> with a JSON body.</summary>
    public async Task<Reply> PostJsonAsync(string path, JsonNode body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri(path, UriKind.Relative), content).ConfigureAwait(false);
        return await ReplyOf(response).ConfigureAwait(false);
    }

    /// <summary>GET <paramref name="path"/>.</summary>
    public async Task<Reply> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
        return await ReplyOf(response).ConfigureAwait(false);
    }

    private static async Task<Reply> ReplyOf(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return new Reply((int)response.StatusCode, Encoding.UTF8.GetString(bytes), bytes, response.Content.Headers.ContentType?.ToString());
    }

    /// <summary>Uploads a Part 10 file (POST /instances) and returns Orthanc's instance id.</summary>
    public async Task<string> UploadAsync(byte[] part10)
    {
        using var content = new ByteArrayContent(part10);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        using var response = await Http.PostAsync(new Uri("instances", UriKind.Relative), content).ConfigureAwait(false);
        var reply = await ReplyOf(response).ConfigureAwait(false);
        if (reply.Status != 200) Assert.Fail($"Orthanc POST /instances answered {reply.Status}: {reply.Body}\n{OutputTail()}");
        return reply.Json?["ID"]?.GetValue<string>() ?? throw new InvalidOperationException($"Orthanc POST /instances: no ID in {reply.Body}");
    }

    /// <summary>Orthanc's instance id for a SOP Instance UID (POST /tools/lookup), or null when Orthanc does not hold it.</summary>
    public async Task<string?> LookupInstanceAsync(string sopInstanceUid)
    {
        using var content = new StringContent(sopInstanceUid, Encoding.ASCII, "text/plain");
        using var response = await Http.PostAsync(new Uri("tools/lookup", UriKind.Relative), content).ConfigureAwait(false);
        var reply = await ReplyOf(response).ConfigureAwait(false);
        if (reply.Status != 200) Assert.Fail($"Orthanc POST /tools/lookup answered {reply.Status}: {reply.Body}");
        return reply.Json?.AsArray().FirstOrDefault(n => n?["Type"]?.GetValue<string>() == "Instance")?["ID"]?.GetValue<string>();
    }

    /// <summary>The Part 10 file Orthanc stores for an instance (GET /instances/{id}/file).</summary>
    public async Task<byte[]> GetInstanceFileAsync(string orthancId)
    {
        var reply = await GetAsync($"instances/{orthancId}/file").ConfigureAwait(false);
        if (reply.Status != 200) Assert.Fail($"Orthanc GET /instances/{orthancId}/file answered {reply.Status}: {reply.Body}");
        return reply.Bytes;
    }

    /// <summary>Stops the Orthanc process (SIGTERM, then kill), keeping its storage and configuration for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        await _process.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
    }

    /// <summary>Starts Orthanc again on the same ports, storage and configuration (after <see cref="StopAsync"/>).</summary>
    public async Task StartAgainAsync()
    {
        if (!_process.HasExited) throw new InvalidOperationException("Orthanc is still running.");
        _process = ChildProcess.Start("orthanc", _executable, [_directory.Combine("config")], workingDirectory: _directory.Path);
        await WaitReadyAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
    }

    /// <summary>Stops Orthanc and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        Http.Dispose();
        await _process.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
        _directory.Dispose();
    }
}
