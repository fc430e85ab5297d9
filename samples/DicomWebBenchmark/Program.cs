// DICOMweb benchmark: the same client workload against the FedNano service and against Orthanc 1.10 + DICOMweb plugin.
// Both servers are started here on free loopback ports with fresh temporary data directories and stopped at the end.
//
//   dotnet build -c Release samples/DicomWebBenchmark
//   dotnet samples/DicomWebBenchmark/bin/Release/net10.0/FedNano.Samples.DicomWebBenchmark.dll [--quick] [--work DIR]
//
// Options: --quick (smaller counts), --work DIR (scratch directory; default a new one under /tmp, deleted at the end),
// --keep (keep the scratch directory), --only ours|orthanc, --server-dll PATH, --orthanc PATH, --orthanc-plugin PATH,
// --total N (instances loaded for QIDO/WADO), --frames N (frames of 512×512×16 bits in the large instance),
// --ours-config Key=Value (repeatable; extra configuration for our server, for diagnostics only; the table in RESULTS.md uses defaults).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FedNano.Dicom;
using FedNano.Samples.DicomWebBenchmark;
using FedNano.Samples.SampleData;

var options = BenchmarkOptions.Parse(args);
Console.WriteLine($"DICOMweb benchmark ({(options.Quick ? "quick" : "full")}): {options.TimedStow:N0} timed + {options.Total - options.TimedStow:N0} more small instances, " +
                  $"{options.MultiframeFrames} frames of 512×512 ({CtSampleGenerator.FrameBytes(512) * options.MultiframeFrames / 1e6:F0} MB), scratch {options.Work}");
Directory.CreateDirectory(options.Work);
var results = new Dictionary<string, WorkloadResults>();
try
{
    var sw = Stopwatch.StartNew();
    var data = TestData.Create(options);
    Console.WriteLine($"Generated {data.Small.Count:N0} small instances ({data.Small.Sum(i => (long)i.Bytes.Length) / 1e6:F1} MB) and the multi-frame file " +
                      $"({new FileInfo(data.MultiframePath).Length / 1e6:F1} MB) in {sw.Elapsed.TotalSeconds:F1} s");

    if (options.Only is null or "ours")
    {
        await using var ours = await ServerProcess.StartOursAsync(options);
        results["ours"] = await Workload.RunAsync(ours, data, options);
    }
    if (options.Only is null or "orthanc")
    {
        await using var orthanc = await ServerProcess.StartOrthancAsync(options);
        results["orthanc"] = await Workload.RunAsync(orthanc, data, options);
    }
    Report.Print(results, options);
}
finally
{
    if (!options.Keep)
    {
        try { Directory.Delete(options.Work, recursive: true); }
        catch (IOException e) { Console.Error.WriteLine($"Could not delete {options.Work}: {e.Message}"); }
    }
}

namespace FedNano.Samples.DicomWebBenchmark
{
    internal sealed record BenchmarkOptions(bool Quick, string Work, bool Keep, string? Only, string? ServerDll, string Orthanc, string OrthancPlugin,
        int Total, int TimedStow, int StowBatch, int LoadWorkers, int MultiframeFrames, int QidoIterations, int WadoInstances, int WadoFrames,
        int RetrieveWorkers, int ConcurrentWorkers, TimeSpan ConcurrentDuration, TimeSpan PhaseTimeLimit, IReadOnlyList<string> OursConfig)
    {
        public static BenchmarkOptions Parse(string[] args)
        {
            var quick = args.Contains("--quick");
            string? Value(string name)
            {
                var i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
            }
            var work = Value("--work") ?? Path.Combine(Path.GetTempPath(), "fednano-dicomweb-bench-" + Guid.NewGuid().ToString("N")[..8]);
            var total = int.Parse(Value("--total") ?? (quick ? "1000" : "10000"), CultureInfo.InvariantCulture);
            var frames = int.Parse(Value("--frames") ?? (quick ? "100" : "400"), CultureInfo.InvariantCulture);
            return new BenchmarkOptions(quick, Path.GetFullPath(work), args.Contains("--keep"), Value("--only"), Value("--server-dll"),
                Value("--orthanc") ?? (File.Exists("/usr/sbin/Orthanc") ? "/usr/sbin/Orthanc" : "Orthanc"),
                Value("--orthanc-plugin") ?? "/usr/share/orthanc/plugins/libOrthancDicomWeb.so",
                Total: total,
                TimedStow: Math.Min(total, quick ? 200 : 1000),
                StowBatch: 50,
                LoadWorkers: 4,
                MultiframeFrames: frames,
                QidoIterations: quick ? 50 : 200,
                WadoInstances: quick ? 400 : 2000,
                WadoFrames: quick ? 100 : 400,
                RetrieveWorkers: 4,
                ConcurrentWorkers: 8,
                ConcurrentDuration: TimeSpan.FromSeconds(quick ? 5 : 10),
                PhaseTimeLimit: TimeSpan.FromSeconds(quick ? 15 : 30),
                OursConfig: [.. args.Select((a, i) => (a, i)).Where(x => x.a == "--ours-config" && x.i + 1 < args.Length).Select(x => args[x.i + 1])]);
        }
    }

    internal sealed record SmallInstance(string Study, string Series, string Sop, string PatientId, byte[] Bytes);

    internal sealed record TestData(IReadOnlyList<SmallInstance> Small, IReadOnlyList<string> PatientIds, IReadOnlyList<string> Studies,
        string MultiframePath, string MultiframeStudy, string MultiframeSeries, string MultiframeSop, int MultiframeFrames)
    {
        private const int InstancesPerStudy = 100;
        private const int InstancesPerSeries = 50;

        /// <summary>
        /// <see cref="BenchmarkOptions.Total"/> 64×64 CT slices: one study of 100 slices (two series of 50) per patient, so
        /// 10,000 instances are 100 patients, 100 studies and 200 series. Plus one multi-frame instance written to a file.
        /// </summary>
        public static TestData Create(BenchmarkOptions options)
        {
            var studies = (options.Total + InstancesPerStudy - 1) / InstancesPerStudy;
            var perStudy = new SmallInstance[studies][];
            Parallel.For(0, studies, s =>
            {
                var uids = new SampleUidGenerator("dicomweb-bench", (ulong)s);
                var study = CtSampleGenerator.CreateStudy(uids, (ulong)s + 1);
                var count = Math.Min(InstancesPerStudy, options.Total - s * InstancesPerStudy);
                var list = new SmallInstance[count];
                SampleSeries? series = null;
                for (var i = 0; i < count; i++)
                {
                    if (i % InstancesPerSeries == 0)
                        series = CtSampleGenerator.CreateSeries(uids, i / InstancesPerSeries + 1, "Bench series", "STANDARD", 2.0);
                    var sop = uids.Next();
                    var ds = CtSampleGenerator.CreateCtSlice(study, series!, sop, i % InstancesPerSeries + 1, 64,
                        -90 + 2.0 * (i % InstancesPerSeries), SplitMix64.Mix((ulong)s, (ulong)i));
                    using var ms = new MemoryStream();
                    new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian).Save(ms, DicomTransferSyntax.ExplicitVRLittleEndian);
                    list[i] = new SmallInstance(study.StudyInstanceUid, series!.SeriesInstanceUid, sop, study.PatientId, ms.ToArray());
                }
                perStudy[s] = list;
            });
            var small = perStudy.SelectMany(x => x).ToList();

            // Large instance: render 16 distinct 512×512 phantom frames and tile them to the requested frame count
            // (rendering hundreds of frames would dominate the run on a small machine).
            const int size = 512;
            var frames = options.MultiframeFrames;
            var ds2 = CtSampleGenerator.CreateMultiframe(Math.Min(16, frames), size, seed: 9999); // PatientID PHANTOM-9999, unlike the small studies
            if (!ds2.TryGetElement(DicomTags.PixelData, out var pixelElement)) throw new InvalidOperationException("No pixel data.");
            var rendered = pixelElement.Value.GetMemory().ToArray();
            var frameBytes = (int)CtSampleGenerator.FrameBytes(size);
            var pixels = new byte[(long)frameBytes * frames];
            var renderedFrames = rendered.Length / frameBytes;
            for (var f = 0; f < frames; f++)
                Buffer.BlockCopy(rendered, f % renderedFrames * frameBytes, pixels, f * frameBytes, frameBytes);
            var z = new double[frames];
            for (var f = 0; f < frames; f++) z[f] = Math.Round(-90 + 180.0 * (f + 0.5) / frames, 3);
            ds2.AddOrUpdate<int>(DicomTags.NumberOfFrames, DicomVR.IS, frames);
            ds2.AddOrUpdate<double>(DicomTags.SliceLocationVector, DicomVR.DS, z);
            ds2.AddOrUpdate(new DicomElement(DicomTags.PixelData, DicomVR.OW, pixels));
            var path = Path.Combine(options.Work, "multiframe.dcm");
            new DicomFile(ds2, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path, DicomTransferSyntax.ExplicitVRLittleEndian);

            return new TestData(small, small.Select(i => i.PatientId).Distinct().ToList(), small.Select(i => i.Study).Distinct().ToList(), path,
                ds2.GetSingleString(DicomTags.StudyInstanceUID), ds2.GetSingleString(DicomTags.SeriesInstanceUID),
                ds2.GetSingleString(DicomTags.SOPInstanceUID), frames);
        }
    }

    /// <summary>A server process started by the benchmark, with its DICOMweb root and a peak-memory poller.</summary>
    internal sealed class ServerProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _dataDirectory;
        private readonly StreamWriter _log;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _poller;
        private long _peakHwmKb;

        private ServerProcess(string name, string version, Process process, Uri root, string dataDirectory, StreamWriter log)
        {
            Name = name;
            Version = version;
            _process = process;
            Root = root;
            _dataDirectory = dataDirectory;
            _log = log;
            _poller = Task.Run(PollMemoryAsync);
        }

        public string Name { get; }
        public string Version { get; }
        public Uri Root { get; }
        public int Pid => _process.Id;

        /// <summary>CPU time (user + system) the server process has used so far, in seconds (/proc/PID/stat, 100 ticks/s).</summary>
        public double CpuSeconds
        {
            get
            {
                try
                {
                    var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
                }
                catch (IOException) { return double.NaN; }
            }
        }

        /// <summary>Peak resident set (VmHWM) of the server process so far, in bytes.</summary>
        public long PeakBytes => Math.Max(Interlocked.Read(ref _peakHwmKb), ReadHwmKb()) * 1024;

        public static async Task<ServerProcess> StartOursAsync(BenchmarkOptions options)
        {
            var dll = options.ServerDll ?? FindServerDll();
            var port = FreePort();
            var data = Path.Combine(options.Work, "ours-data");
            Directory.CreateDirectory(data);
            var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)! };
            foreach (var a in new[] { dll, "--urls", $"http://127.0.0.1:{port}", $"--Storage:DataDirectory={data}" }) psi.ArgumentList.Add(a);
            foreach (var a in options.OursConfig) psi.ArgumentList.Add("--" + a); // diagnostics only, e.g. --ours-config Storage:FlushToDisk=false
            psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            psi.Environment["Logging__LogLevel__Default"] = "Warning";
            var server = Start("ours", "FedNano.DicomService (Release)", psi, new Uri($"http://127.0.0.1:{port}/dicomweb/"), data, options);
            await server.WaitReadyAsync(new Uri($"http://127.0.0.1:{port}/health"));
            return server;
        }

        public static async Task<ServerProcess> StartOrthancAsync(BenchmarkOptions options)
        {
            var port = FreePort();
            var dicomPort = FreePort();
            var data = Path.Combine(options.Work, "orthanc-data");
            var config = Path.Combine(options.Work, "orthanc-config");
            Directory.CreateDirectory(data);
            Directory.CreateDirectory(config);
            var json = new Dictionary<string, object>
            {
                ["Name"] = "FedNanoBenchOrthanc",
                ["StorageDirectory"] = data,
                ["IndexDirectory"] = data,
                ["HttpPort"] = port,
                ["DicomPort"] = dicomPort,
                ["RemoteAccessAllowed"] = false,
                ["AuthenticationEnabled"] = false,
                ["HttpServerEnabled"] = true,
                ["SaveJobs"] = false,
                ["Plugins"] = new[] { options.OrthancPlugin },
                ["DicomWeb"] = new Dictionary<string, object> { ["Enable"] = true, ["Root"] = "/dicom-web/" },
            };
            await File.WriteAllTextAsync(Path.Combine(config, "orthanc.json"), JsonSerializer.Serialize(json));
            var psi = new ProcessStartInfo(options.Orthanc) { WorkingDirectory = options.Work };
            psi.ArgumentList.Add(config);
            var server = Start("orthanc", "Orthanc 1.10 + DICOMweb plugin", psi, new Uri($"http://127.0.0.1:{port}/dicom-web/"), data, options);
            await server.WaitReadyAsync(new Uri($"http://127.0.0.1:{port}/system"));
            return server;
        }

        private static ServerProcess Start(string name, string version, ProcessStartInfo psi, Uri root, string data, BenchmarkOptions options)
        {
            psi.RedirectStandardOutput = true;
            psi.RedirectStandardError = true;
            psi.UseShellExecute = false;
            var log = new StreamWriter(Path.Combine(options.Work, name + ".log")) { AutoFlush = true };
            var process = new Process { StartInfo = psi };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
            if (!process.Start()) throw new InvalidOperationException($"Could not start {psi.FileName}.");
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            Console.WriteLine($"Started {name}: pid {process.Id}, {root}");
            return new ServerProcess(name, version, process, root, data, log);
        }

        private async Task WaitReadyAsync(Uri probe)
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < TimeSpan.FromSeconds(90))
            {
                if (_process.HasExited) throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}; see {Name}.log in the scratch directory.");
                try
                {
                    using var response = await client.GetAsync(probe);
                    if (response.IsSuccessStatusCode)
                    {
                        Console.WriteLine($"{Name} ready after {sw.Elapsed.TotalSeconds:F1} s");
                        return;
                    }
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                await Task.Delay(200);
            }
            throw new TimeoutException($"{Name} did not answer {probe} within 90 s.");
        }

        private async Task PollMemoryAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                var kb = ReadHwmKb();
                if (kb > Interlocked.Read(ref _peakHwmKb)) Interlocked.Exchange(ref _peakHwmKb, kb);
                try { await Task.Delay(200, _stop.Token); }
                catch (OperationCanceledException) { return; }
            }
        }

        private long ReadHwmKb()
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            return 0;
        }

        public async ValueTask DisposeAsync()
        {
            var peak = PeakBytes;
            await _stop.CancelAsync();
            await _poller;
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
            lock (_log) _log.Dispose();
            _stop.Dispose();
            try { Directory.Delete(_dataDirectory, recursive: true); }
            catch (IOException) { }
            Console.WriteLine($"Stopped {Name} (peak VmHWM {peak / 1e6:F0} MB), deleted its data directory");
        }

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        private static string FindServerDll()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "DicomService", "Server", "bin", "Release", "net10.0", "FedNano.DicomService.dll");
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException("FedNano.DicomService.dll (Release) not found; run `dotnet build -c Release DicomService/Server` or pass --server-dll.");
        }
    }

    internal sealed class WorkloadResults
    {
        public required string Server { get; init; }
        public required string Version { get; init; }
        public Dictionary<string, double> Values { get; } = [];
        public long PeakBytes { get; set; }
        public List<string> Notes { get; } = [];
    }

    internal static class Workload
    {
        public const string AcceptDicom = "multipart/related; type=\"application/dicom\"";
        public const string AcceptOctet = "multipart/related; type=\"application/octet-stream\"";
        public const string AcceptJson = "application/dicom+json";

        public static HttpClient NewClient(Uri root) => new(new SocketsHttpHandler { MaxConnectionsPerServer = 1, AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = root,
            Timeout = TimeSpan.FromMinutes(10),
        };

        public static async Task<WorkloadResults> RunAsync(ServerProcess server, TestData data, BenchmarkOptions options)
        {
            var r = new WorkloadResults { Server = server.Name, Version = server.Version };
            Console.WriteLine($"--- {server.Name}");

            // 1. STOW of the first TimedStow small instances, one client, StowBatch parts per request.
            var timed = data.Small.Take(options.TimedStow).ToList();
            using (var client = NewClient(server.Root))
            {
                var cpu = server.CpuSeconds;
                var sw = Stopwatch.StartNew();
                foreach (var batch in timed.Chunk(options.StowBatch)) await StowAsync(client, batch);
                r.Values["stow.small"] = timed.Count / sw.Elapsed.TotalSeconds;
                r.Values["stow.small.cpu"] = (server.CpuSeconds - cpu) * 1000 / timed.Count;
                Console.WriteLine($"  STOW {timed.Count} small: {sw.Elapsed.TotalSeconds:F2} s, {r.Values["stow.small"]:F0} inst/s, server CPU {r.Values["stow.small.cpu"]:F2} ms/inst");
            }

            // 2. Load the rest with LoadWorkers clients (also timed, reported as its own row).
            var rest = data.Small.Skip(options.TimedStow).Chunk(options.StowBatch).ToList();
            if (rest.Count > 0)
            {
                var next = -1;
                var cpu = server.CpuSeconds;
                var sw = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, options.LoadWorkers).Select(async _ =>
                {
                    using var client = NewClient(server.Root);
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < rest.Count) await StowAsync(client, rest[i]);
                }));
                var n = rest.Sum(b => b.Length);
                r.Values["stow.load"] = n / sw.Elapsed.TotalSeconds;
                r.Values["stow.load.cpu"] = (server.CpuSeconds - cpu) * 1000 / n;
                Console.WriteLine($"  STOW {n} small ({options.LoadWorkers} clients): {sw.Elapsed.TotalSeconds:F2} s, {r.Values["stow.load"]:F0} inst/s, server CPU {r.Values["stow.load.cpu"]:F2} ms/inst");
            }

            // 3. STOW of the large multi-frame instance, one request with a known Content-Length.
            using (var client = NewClient(server.Root))
            {
                var length = new FileInfo(data.MultiframePath).Length;
                var sw = Stopwatch.StartNew();
                using var content = new FileMultipartContent(data.MultiframePath);
                using var request = new HttpRequestMessage(HttpMethod.Post, "studies") { Content = content };
                request.Headers.Accept.ParseAdd(AcceptJson);
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{server.Name}: large STOW answered {(int)response.StatusCode}: {body}");
                r.Values["stow.large"] = length / 1e6 / sw.Elapsed.TotalSeconds;
                Console.WriteLine($"  STOW large ({length / 1e6:F0} MB): {sw.Elapsed.TotalSeconds:F2} s, {r.Values["stow.large"]:F1} MB/s");
            }

            // 4. QIDO latency, one client, sequential.
            var rnd = new Random(42);
            using (var client = NewClient(server.Root))
            {
                await QidoLatencyAsync(client, r, "qido.studies", _ => "studies?PatientID=" + data.PatientIds[rnd.Next(data.PatientIds.Count)], 1, options);
                await QidoLatencyAsync(client, r, "qido.series", _ => "series?Modality=CT&limit=100", Math.Min(100, (data.Small.Count + 49) / 50), options);
                await QidoLatencyAsync(client, r, "qido.instances", _ => "instances?SOPInstanceUID=" + data.Small[rnd.Next(data.Small.Count)].Sop, 1, options);
            }

            // 5. WADO-RS instance retrieval with RetrieveWorkers clients.
            await SanityRetrieveAsync(server, data);
            {
                var (count, bytes, seconds) = await RunWorkersAsync(server.Root, options.RetrieveWorkers, options.WadoInstances, options.PhaseTimeLimit,
                    async (client, rng) =>
                    {
                        var inst = data.Small[rng.Next(data.Small.Count)];
                        return await GetAsync(client, $"studies/{inst.Study}/series/{inst.Series}/instances/{inst.Sop}", AcceptDicom);
                    });
                r.Values["wado.instances"] = count / seconds;
                r.Values["wado.mbps"] = bytes / 1e6 / seconds;
                Console.WriteLine($"  WADO instances: {count} in {seconds:F2} s, {count / seconds:F0} inst/s, {bytes / 1e6 / seconds:F1} MB/s");
            }

            // 6. WADO-RS frames of the multi-frame instance.
            {
                var (count, bytes, seconds) = await RunWorkersAsync(server.Root, options.RetrieveWorkers, options.WadoFrames, options.PhaseTimeLimit,
                    async (client, rng) => await GetAsync(client,
                        $"studies/{data.MultiframeStudy}/series/{data.MultiframeSeries}/instances/{data.MultiframeSop}/frames/{rng.Next(1, data.MultiframeFrames + 1)}", AcceptOctet));
                r.Values["wado.frames"] = count / seconds;
                r.Values["wado.frames.mbps"] = bytes / 1e6 / seconds;
                Console.WriteLine($"  WADO frames: {count} in {seconds:F2} s, {count / seconds:F1} frames/s, {bytes / 1e6 / seconds:F1} MB/s");
            }

            // 7. Concurrent clients: QIDO + WADO mix for a fixed time.
            {
                var (count, _, seconds) = await RunWorkersAsync(server.Root, options.ConcurrentWorkers, int.MaxValue, options.ConcurrentDuration,
                    async (client, rng) =>
                    {
                        var inst = data.Small[rng.Next(data.Small.Count)];
                        return rng.Next(4) switch
                        {
                            0 => await GetAsync(client, "studies?PatientID=" + inst.PatientId, AcceptJson),
                            1 => await GetAsync(client, $"studies/{inst.Study}/series?Modality=CT", AcceptJson),
                            2 => await GetAsync(client, $"studies/{inst.Study}/series/{inst.Series}/instances", AcceptJson),
                            _ => await GetAsync(client, $"studies/{inst.Study}/series/{inst.Series}/instances/{inst.Sop}", AcceptDicom),
                        };
                    });
                r.Values["concurrent"] = count / seconds;
                Console.WriteLine($"  Concurrent ({options.ConcurrentWorkers} clients): {count} requests in {seconds:F2} s, {count / seconds:F0} req/s");
            }

            r.PeakBytes = server.PeakBytes;
            return r;
        }

        private static async Task StowAsync(HttpClient client, SmallInstance[] batch)
        {
            using var ms = new MemoryStream();
            var writer = new MultipartRelatedWriter(ms, DicomWebMediaTypes.ApplicationDicom);
            foreach (var inst in batch) await writer.WritePartAsync(inst.Bytes, DicomWebMediaTypes.ApplicationDicom);
            await writer.CompleteAsync();
            using var content = new ByteArrayContent(ms.GetBuffer(), 0, (int)ms.Length);
            // Orthanc's plugin needs the quoted type parameter; ours accepts both.
            content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/related; type=\"application/dicom\"; boundary={writer.Boundary}");
            using var request = new HttpRequestMessage(HttpMethod.Post, "studies") { Content = content };
            request.Headers.Accept.ParseAdd(AcceptJson);
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"STOW of {batch.Length} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 500)]}");
        }

        private static async Task<long> GetAsync(HttpClient client, string url, string accept)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NoContent))
                throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[81920];
            long total = 0;
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0) total += n;
            return total;
        }

        private static async Task QidoLatencyAsync(HttpClient client, WorkloadResults r, string key, Func<int, string> url, int expected, BenchmarkOptions options)
        {
            // Warm-up and a result-count check, so that both servers answer the same question.
            for (var i = 0; i < 5; i++)
            {
                var u = url(i);
                using var request = new HttpRequestMessage(HttpMethod.Get, u);
                request.Headers.Accept.ParseAdd(AcceptJson);
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var count = response.StatusCode == HttpStatusCode.NoContent || body.Length == 0 ? 0 : JsonDocument.Parse(body).RootElement.GetArrayLength();
                if (count != expected)
                {
                    var note = $"{key}: {u} returned {count} results (status {(int)response.StatusCode}), expected {expected}";
                    if (!r.Notes.Contains(note)) r.Notes.Add(note);
                    Console.WriteLine("  NOTE " + note);
                }
            }
            var times = new List<double>(options.QidoIterations);
            for (var i = 0; i < options.QidoIterations; i++)
            {
                var u = url(i);
                var sw = Stopwatch.StartNew();
                await GetAsync(client, u, AcceptJson);
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            r.Values[key + ".p50"] = Percentile(times, 0.50);
            r.Values[key + ".p95"] = Percentile(times, 0.95);
            Console.WriteLine($"  {key}: median {r.Values[key + ".p50"]:F2} ms, p95 {r.Values[key + ".p95"]:F2} ms");
        }

        private static double Percentile(List<double> sorted, double p) =>
            sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

        private static async Task SanityRetrieveAsync(ServerProcess server, TestData data)
        {
            using var client = NewClient(server.Root);
            var inst = data.Small[0];
            using var request = new HttpRequestMessage(HttpMethod.Get, $"studies/{inst.Study}/series/{inst.Series}/instances/{inst.Sop}");
            request.Headers.TryAddWithoutValidation("Accept", AcceptDicom);
            using var response = await client.SendAsync(request);
            var contentType = response.Content.Headers.ContentType?.ToString() ?? "";
            await using var body = await response.Content.ReadAsStreamAsync();
            var reader = new MultipartRelatedReader(body, MultipartRelatedReader.GetBoundary(contentType));
            var parts = 0;
            while (await reader.ReadNextPartAsync() is { } part)
            {
                using var ms = new MemoryStream();
                await part.Body.CopyToAsync(ms);
                var file = DicomFile.Read(ms.ToArray());
                if (file.Dataset.GetSingleString(DicomTags.SOPInstanceUID) != inst.Sop) throw new InvalidOperationException($"{server.Name}: WADO returned another instance.");
                parts++;
            }
            if (parts != 1) throw new InvalidOperationException($"{server.Name}: WADO instance returned {parts} parts.");
        }

        /// <summary>Runs <paramref name="workers"/> clients until <paramref name="maxOps"/> operations are done or <paramref name="limit"/> has passed.</summary>
        private static async Task<(long Count, long Bytes, double Seconds)> RunWorkersAsync(Uri root, int workers, int maxOps, TimeSpan limit,
            Func<HttpClient, Random, Task<long>> op)
        {
            long count = 0, bytes = 0, started = 0;
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
            {
                using var client = NewClient(root);
                var rng = new Random(1000 + w);
                while (sw.Elapsed < limit && Interlocked.Increment(ref started) <= maxOps)
                {
                    var b = await op(client, rng);
                    Interlocked.Add(ref bytes, b);
                    Interlocked.Increment(ref count);
                }
            }));
            return (count, bytes, sw.Elapsed.TotalSeconds);
        }
    }

    /// <summary>A one-part multipart/related body streamed from a file, with a known Content-Length.</summary>
    internal sealed class FileMultipartContent : HttpContent
    {
        private readonly string _path;
        private readonly byte[] _head;
        private readonly byte[] _tail;

        public FileMultipartContent(string path)
        {
            _path = path;
            var boundary = MultipartRelatedWriter.GenerateBoundary();
            _head = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n");
            _tail = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");
            Headers.TryAddWithoutValidation("Content-Type", $"multipart/related; type=\"application/dicom\"; boundary={boundary}");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_head);
            await using (var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true))
                await file.CopyToAsync(stream, 1 << 20);
            await stream.WriteAsync(_tail);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _head.Length + new FileInfo(_path).Length + _tail.Length;
            return true;
        }
    }

    internal static class Report
    {
        private sealed record Row(string Label, string Key, string Unit, bool HigherIsBetter);

        public static void Print(Dictionary<string, WorkloadResults> results, BenchmarkOptions o)
        {
            var rows = new List<Row>
            {
                new($"STOW {o.TimedStow:N0} small (64×64 CT, {o.StowBatch}/request, 1 client)", "stow.small", "inst/s", true),
                new($"  server CPU time per instance in that STOW", "stow.small.cpu", "ms", false),
                new($"STOW {o.Total - o.TimedStow:N0} more small ({o.LoadWorkers} clients)", "stow.load", "inst/s", true),
                new($"  server CPU time per instance in that STOW", "stow.load.cpu", "ms", false),
                new($"STOW 1 multi-frame ({CtSampleGenerator.FrameBytes(512) * o.MultiframeFrames / 1e6:F0} MB, 1 client)", "stow.large", "MB/s", true),
                new($"QIDO /studies?PatientID=X @{o.Total / 1000.0:0.#}k, median", "qido.studies.p50", "ms", false),
                new($"QIDO /studies?PatientID=X @{o.Total / 1000.0:0.#}k, p95", "qido.studies.p95", "ms", false),
                new($"QIDO /series?Modality=CT&limit=100, median", "qido.series.p50", "ms", false),
                new($"QIDO /series?Modality=CT&limit=100, p95", "qido.series.p95", "ms", false),
                new("QIDO /instances?SOPInstanceUID=X, median", "qido.instances.p50", "ms", false),
                new("QIDO /instances?SOPInstanceUID=X, p95", "qido.instances.p95", "ms", false),
                new($"WADO instance ({o.RetrieveWorkers} clients)", "wado.instances", "inst/s", true),
                new($"WADO instance ({o.RetrieveWorkers} clients)", "wado.mbps", "MB/s", true),
                new($"WADO /frames/N of the multi-frame ({o.RetrieveWorkers} clients)", "wado.frames", "frames/s", true),
                new($"WADO /frames/N of the multi-frame ({o.RetrieveWorkers} clients)", "wado.frames.mbps", "MB/s", true),
                new($"{o.ConcurrentWorkers} concurrent clients, QIDO+WADO mix, {o.ConcurrentDuration.TotalSeconds:F0} s", "concurrent", "req/s", true),
            };
            results.TryGetValue("ours", out var ours);
            results.TryGetValue("orthanc", out var orthanc);
            var sb = new StringBuilder();
            sb.AppendLine();
            sb.AppendLine("| Workload | Unit | Ours | Orthanc | Speed-up (ours vs Orthanc) |");
            sb.AppendLine("|---|---|---:|---:|---:|");
            foreach (var row in rows)
            {
                var a = ours?.Values.GetValueOrDefault(row.Key, double.NaN) ?? double.NaN;
                var b = orthanc?.Values.GetValueOrDefault(row.Key, double.NaN) ?? double.NaN;
                var ratio = row.HigherIsBetter ? a / b : b / a;
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {row.Label} | {row.Unit} | {Fmt(a)} | {Fmt(b)} | {Ratio(ratio)} |");
            }
            var ma = ours is null ? double.NaN : ours.PeakBytes / 1e6;
            var mb = orthanc is null ? double.NaN : orthanc.PeakBytes / 1e6;
            sb.AppendLine(CultureInfo.InvariantCulture, $"| Peak memory of the server process (VmHWM, whole run) | MB | {Fmt(ma)} | {Fmt(mb)} | {Ratio(mb / ma)} |");
            sb.AppendLine();
            sb.AppendLine("Speed-up > 1 means ours is better (rates: ours/Orthanc; latencies and memory: Orthanc/ours).");
            foreach (var r in results.Values)
                foreach (var n in r.Notes)
                    sb.AppendLine(CultureInfo.InvariantCulture, $"Note ({r.Server}): {n}");
            Console.WriteLine(sb.ToString());
        }

        private static string Fmt(double v) => double.IsNaN(v) ? "–" : v >= 100 ? v.ToString("N0", CultureInfo.InvariantCulture) : v.ToString("0.00", CultureInfo.InvariantCulture);

        private static string Ratio(double v) => double.IsNaN(v) || double.IsInfinity(v) ? "–" : v.ToString("0.00", CultureInfo.InvariantCulture) + "×";
    }
}
