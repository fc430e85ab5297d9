using FedNano.Testing;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace FedNano.DicomService.PeerTests.Infrastructure;

/// <summary>
/// dicomweb-client 0.11.3 (the DICOMweb client library OHIF uses) under Node, with xhr2 as XMLHttpRequest. The npm
/// packages are installed once into <c>$TMPDIR/fednano-npm/dicomweb-client-0.11.3</c> (a test-local folder, never
/// committed) and reused by later runs. Each call runs a small script that performs one client operation and prints
/// <c>{"ok":true,"result":…}</c> or <c>{"ok":false,"error":…,"status":…,"response":…}</c>.
/// </summary>
public sealed class NodeDicomWebClient
{
    /// <summary>The packages and exact versions.</summary>
    public static readonly string[] Packages = ["dicomweb-client@0.11.3", "xhr2@0.2.1"];

    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static string? _installed;

    private NodeDicomWebClient(string node, string directory)
    {
        NodePath = node;
        Directory = directory;
    }

    /// <summary>The node executable.</summary>
    public string NodePath { get; }

    /// <summary>The folder holding node_modules and the client script.</summary>
    public string Directory { get; }

    private string Script => Path.Combine(Directory, "fednano-client.js");

    /// <summary>
    /// Node plus the installed packages, or null (test should return) when node/npm are missing or the install fails;
    /// with FEDNANO_REQUIRE_PEERS=1 that fails the test instead.
    /// </summary>
    public static async Task<NodeDicomWebClient?> CreateAsync(ITestOutputHelper output)
    {
        var node = PeerTool.FindTool("node", "Node.js 20 (nodejs)", output);
        if (node is null) return null;
        await InstallLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_installed is null)
            {
                var directory = Path.Combine(Path.GetTempPath(), "fednano-npm", "dicomweb-client-0.11.3");
                if (!File.Exists(Path.Combine(directory, "node_modules", "dicomweb-client", "package.json")) ||
                    !File.Exists(Path.Combine(directory, "node_modules", "xhr2", "package.json")))
                {
                    var npm = PeerTool.FindTool("npm", "npm", output);
                    if (npm is null) return null;
                    // Install into a private folder, then move it into place, so a concurrent or interrupted run never
                    // sees a half-installed node_modules.
                    var staging = directory + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
                    System.IO.Directory.CreateDirectory(staging);
                    var result = PeerTool.Exec(npm, ["install", "--no-audit", "--no-fund", "--no-save", "--prefix", staging, .. Packages],
                        TimeSpan.FromMinutes(3), workingDirectory: staging);
                    if (result.ExitCode != 0 || !File.Exists(Path.Combine(staging, "node_modules", "dicomweb-client", "package.json")))
                    {
                        TryDelete(staging);
                        PeerTool.Missing($"npm install {string.Join(' ', Packages)} failed ({result.ExitCode}):\n{result.StdOut}\n{result.StdErr}", output);
                        return null;
                    }
                    TryDelete(directory);
                    System.IO.Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
                    try { System.IO.Directory.Move(staging, directory); }
                    catch (IOException) { TryDelete(staging); } // another run moved its copy into place first
                }
                await File.WriteAllTextAsync(Path.Combine(directory, "fednano-client.js"), ClientScript).ConfigureAwait(false);
                _installed = directory;
            }
            return new NodeDicomWebClient(node, _installed);
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static void TryDelete(string directory)
    {
        try { if (System.IO.Directory.Exists(directory)) System.IO.Directory.Delete(directory, recursive: true); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>
    /// Runs operation <paramref name="operation"/> against <paramref name="dicomWebRoot"/> with <paramref name="arguments"/>
    /// and returns the script's JSON answer (<c>ok</c>, <c>result</c> or <c>error</c>).
    /// </summary>
    public JsonObject Run(string dicomWebRoot, string operation, JsonObject arguments)
    {
        arguments["url"] = dicomWebRoot;
        var argsFile = Path.Combine(Path.GetTempPath(), $"fednano-node-args-{Guid.NewGuid():N}.json");
        File.WriteAllText(argsFile, arguments.ToJsonString());
        try
        {
            var result = PeerTool.Exec(NodePath, [Script, operation, argsFile], TimeSpan.FromSeconds(120), workingDirectory: Directory);
            JsonObject? answer = null;
            try { answer = JsonNode.Parse(result.StdOut)?.AsObject(); }
            catch (System.Text.Json.JsonException) { }
            return answer ?? throw new InvalidOperationException(
                $"node {operation} exited with {result.ExitCode} without a JSON answer:\nstdout: {result.StdOut}\nstderr: {result.StdErr}");
        }
        finally
        {
            File.Delete(argsFile);
        }
    }

    /// <summary>Like <see cref="Run"/>, failing the test unless the operation succeeded; returns its result.</summary>
    public JsonNode? RunChecked(string dicomWebRoot, string operation, JsonObject arguments, Func<string>? context = null)
    {
        var answer = Run(dicomWebRoot, operation, arguments);
        if (answer["ok"]?.GetValue<bool>() != true)
            Assert.Fail($"dicomweb-client {operation} failed: {answer.ToJsonString()}\n{context?.Invoke()}");
        return answer["result"];
    }

    /// <summary>
    /// The Node side. Frames and stored datasets travel as base64 / file paths; errors carry dicomweb-client's HTTP
    /// status and the response text.
    /// </summary>
    private const string ClientScript = """
        'use strict';
        // Written by FedNano.DicomService.PeerTests: one dicomweb-client operation per run, JSON on stdout.
        global.XMLHttpRequest = require('xhr2');
        const fs = require('fs');
        const dwc = require('dicomweb-client');

        const [, , op, argsFile] = process.argv;
        const args = JSON.parse(fs.readFileSync(argsFile, 'utf8'));
        const client = new dwc.api.DICOMwebClient({ url: args.url });

        function toBase64(part) {
          if (part instanceof ArrayBuffer) return Buffer.from(new Uint8Array(part)).toString('base64');
          if (ArrayBuffer.isView(part)) return Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('base64');
          throw new Error('unexpected frame type ' + Object.prototype.toString.call(part));
        }

        function text(value) {
          if (value === undefined || value === null) return value;
          if (typeof value === 'string') return value;
          if (value instanceof ArrayBuffer) return Buffer.from(new Uint8Array(value)).toString('utf8');
          if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
          try { return JSON.stringify(value); } catch (e) { return String(value); }
        }

        async function run() {
          switch (op) {
            case 'searchForStudies':
              return client.searchForStudies({ queryParams: args.queryParams || {} });
            case 'searchForInstances':
              return client.searchForInstances({ studyInstanceUID: args.study, queryParams: args.queryParams || {} });
            case 'retrieveStudyMetadata':
              return client.retrieveStudyMetadata({ studyInstanceUID: args.study });
            case 'retrieveInstanceMetadata':
              return client.retrieveInstanceMetadata({ studyInstanceUID: args.study, seriesInstanceUID: args.series, sopInstanceUID: args.sop });
            case 'retrieveInstanceFrames': {
              const frames = await client.retrieveInstanceFrames({
                studyInstanceUID: args.study, seriesInstanceUID: args.series, sopInstanceUID: args.sop, frameNumbers: args.frameNumbers });
              return frames.map(toBase64);
            }
            case 'retrieveBulkData': {
              const parts = await client.retrieveBulkData({ BulkDataURI: args.uri });
              return parts.map(toBase64);
            }
            case 'storeInstances': {
              const datasets = args.files.map((p) => {
                const b = fs.readFileSync(p);
                return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
              });
              const options = { datasets };
              if (args.study) options.studyInstanceUID = args.study;
              const response = await client.storeInstances(options);
              return text(response);
            }
            default:
              throw new Error('unknown operation ' + op);
          }
        }

        run().then(
          (result) => { process.stdout.write(JSON.stringify({ ok: true, result })); },
          (error) => {
            process.stdout.write(JSON.stringify({
              ok: false,
              error: String(error && (error.message || error)),
              status: error && error.status,
              response: error && text(error.response),
            }));
            process.exitCode = 2;
          });
        """;
}
