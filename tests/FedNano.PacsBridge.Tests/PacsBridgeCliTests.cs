using System.Text.Json.Nodes;
using FedNano.Testing;
using Xunit.Abstractions;

namespace FedNano.PacsBridge.Tests;

/// <summary>The <c>pacsbridge</c> executable: configuration file plus command-line overrides, a pass, and the status listing.</summary>
[Trait("Category", "Peers")]
public sealed class PacsBridgeCliTests(BridgeFixture peers, ITestOutputHelper output) : IClassFixture<BridgeFixture>, IDisposable
{
    private readonly TempDirectory _work = new("pacsbridge-cli");

    public void Dispose() => _work.Dispose();

    private static PeerResult Run(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "pacsbridge.dll");
        return PeerTool.Exec("dotnet", [dll, .. args], TimeSpan.FromMinutes(4));
    }

    private string Config(string sourceUrl, string serviceUrl)
    {
        var config = new JsonObject
        {
            ["Bridge"] = new JsonObject
            {
                ["Source"] = new JsonObject { ["BaseUrl"] = sourceUrl, ["Authentication"] = "Basic", ["UserName"] = PeersFixture.OrthancUser.User, ["Password"] = PeersFixture.OrthancUser.Password },
                ["Service"] = new JsonObject { ["BaseUrl"] = serviceUrl },
                ["Discovery"] = new JsonObject { ["StableAgeSeconds"] = 0, ["LookbackDays"] = 0 },
                ["Rules"] = new JsonArray(new JsonObject { ["Name"] = "raw-ct", ["Modality"] = "CT", ["Method"] = "ssr-fbp" }),
                ["StateDatabase"] = _work.Combine("state.db"),
                ["JobPollIntervalSeconds"] = 0.2,
            },
        };
        var path = _work.Combine("pacsbridge.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    [Fact]
    public async Task Once_round_trips_a_raw_scan_and_status_lists_it_done()
    {
        if (peers.Orthanc is null)
        {
            PeerTool.Missing(peers.MissingReason, output);
            return;
        }
        await using var orthanc = await peers.StartOrthancAsync();
        var scan = RawScan.NewSeries();
        using (var pacs = new DicomWebClient(BridgeFixture.DicomWeb(orthanc)))
            for (int i = 0; i < scan.Views.Length; i += 100)
                Assert.True((await pacs.StoreAsync(scan.Views.Skip(i).Take(100).Select(v => (StowPart)v).ToList())).AllStored);
        // The file points at a wrong service; the command line overrides it.
        var config = Config(orthanc.DicomWebRoot, "http://127.0.0.1:9/");

        var once = Run("once", "--config", config, $"--Bridge:Service:BaseUrl={peers.Service.BaseAddress}");
        output.WriteLine(once.StdOut + once.StdErr);
        var status = Run("status", "--config", config);
        output.WriteLine(status.StdOut + status.StdErr);

        Assert.Equal(0, once.ExitCode);
        Assert.Contains("CT series", once.StdOut);
        Assert.Equal(0, status.ExitCode);
        var line = Assert.Single(status.StdOut.Split('\n'), l => l.Contains(scan.Series, StringComparison.Ordinal));
        Assert.Contains(" Done ", line);
        Assert.Contains("1 series", status.StdOut);
    }

    [Fact]
    public void An_invalid_configuration_is_refused_with_exit_code_2_and_the_reason()
    {
        var config = Config("ftp://pacs/dicom-web", "http://127.0.0.1:5080");

        var run = Run("once", "--config", config);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not an absolute http or https URL", run.StdErr);
    }

    [Fact]
    public void An_unknown_command_and_a_missing_configuration_file_exit_2()
    {
        Assert.Equal(2, Run("frobnicate", "--config", Config("http://pacs/dicom-web", "http://svc")).ExitCode);
        var missing = Run("status", "--config", _work.Combine("nope.json"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.StdErr);
    }
}
