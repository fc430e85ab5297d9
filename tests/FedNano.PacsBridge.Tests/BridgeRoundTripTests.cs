using FedNano.Dicom;
using FedNano.Testing;
using Xunit.Abstractions;

namespace FedNano.PacsBridge.Tests;

/// <summary>
/// The bridge between a real PACS (Orthanc 1.10 + DICOMweb plugin) and our service, both real processes: a raw scan
/// stored in Orthanc comes back into Orthanc as a CT series of the same study, exactly once, through restarts and
/// faults.
/// </summary>
[Trait("Category", "Peers")]
public sealed class BridgeRoundTripTests(BridgeFixture peers, ITestOutputHelper output) : IClassFixture<BridgeFixture>, IAsyncLifetime
{
    private static readonly TimeSpan RoundTrip = TimeSpan.FromMinutes(3);
    private readonly TempDirectory _work = new("bridge");
    private OrthancProcess? _orthanc;

    public async Task InitializeAsync()
    {
        if (peers.Orthanc is not null) _orthanc = await peers.StartOrthancAsync();
    }

    public async Task DisposeAsync()
    {
        if (_orthanc is not null) await _orthanc.DisposeAsync();
        _work.Dispose();
    }

    private OrthancProcess Orthanc => _orthanc!;

    private string Logs() => $"--- fednano ---\n{peers.Service.OutputTail()}\n--- orthanc ---\n{_orthanc?.OutputTail()}";

    private BridgeOptions Options(string? serviceUrl = null, DiscoveryMode mode = DiscoveryMode.Qido) => new()
    {
        Source = BridgeFixture.DicomWeb(Orthanc),
        Service = new DicomWebClientOptions { BaseUrl = serviceUrl ?? peers.Service.BaseAddress.ToString(), TimeoutSeconds = 10 },
        Discovery = new DiscoveryOptions
        {
            Mode = mode, StableAgeSeconds = 0, LookbackDays = 0,
            OrthancUrl = mode == DiscoveryMode.OrthancChanges ? $"http://127.0.0.1:{Orthanc.HttpPort}" : null,
        },
        Rules = [new RoutingRule { Name = "raw-ct", Modality = "CT", Method = "ssr-fbp" }],
        StateDatabase = _work.Combine("state.db"),
        InitialBackoffSeconds = 0.05, MaxBackoffSeconds = 0.2,
        JobPollIntervalSeconds = 0.2,
    };

    private async Task<RawScan?> StoreInOrthancAsync(Func<int, bool>? keep = null, Action<int, DicomDataset>? edit = null)
    {
        if (_orthanc is null)
        {
            PeerTool.Missing(peers.MissingReason, output);
            return null;
        }
        var scan = RawScan.NewSeries(keep, edit);
        using var pacs = new DicomWebClient(BridgeFixture.DicomWeb(Orthanc));
        for (int i = 0; i < scan.Views.Length; i += 100)
            Assert.True((await pacs.StoreAsync(scan.Views.Skip(i).Take(100).Select(v => (StowPart)v).ToList())).AllStored);
        return scan;
    }

    /// <summary>Runs passes until the series is in a final state (or the time is up) and returns its row.</summary>
    private async Task<BridgeSeries> RunUntilSettledAsync(Bridge bridge, string series)
    {
        var until = DateTime.UtcNow + RoundTrip;
        while (DateTime.UtcNow < until)
        {
            await bridge.RunOnceAsync();
            if (bridge.State.Get(series) is { State: BridgeSeriesState.Done or BridgeSeriesState.DeadLetter or BridgeSeriesState.Ignored } row) return row;
            await Task.Delay(200);
        }
        Assert.Fail($"Series {series} did not settle: {bridge.State.Get(series)}\n{Logs()}");
        return null!;
    }

    private async Task<List<DicomDataset>> OrthancSeriesAsync(string study)
    {
        using var pacs = new DicomWebClient(BridgeFixture.DicomWeb(Orthanc));
        return (await pacs.SearchSeriesAsync(study, [new("includefield", "00201209,0008103E")])).ToList();
    }

    [Fact]
    public async Task A_raw_scan_in_the_PACS_comes_back_as_a_CT_series_of_its_study_and_a_restarted_bridge_adds_nothing()
    {
        if (await StoreInOrthancAsync() is not { } scan) return;

        BridgeSeries row;
        using (var bridge = new Bridge(Options()))
            row = await RunUntilSettledAsync(bridge, scan.Series);

        Assert.True(row.State == BridgeSeriesState.Done, $"{row}\n{Logs()}");
        var series = await OrthancSeriesAsync(scan.Study);
        var result = Assert.Single(series, s => s.GetString(DicomTags.SeriesInstanceUID) == row.OutputSeriesInstanceUid);
        int slices = result.GetValue<int>(DicomTags.NumberOfSeriesRelatedInstances);
        Assert.True(slices >= 2, $"{slices} slices");
        Assert.Equal(slices, row.PushedInstances);
        Assert.Contains("ssr-fbp", result.GetString(DicomTags.SeriesDescription));
        // Orthanc's own REST API agrees: the study now has the raw series and the CT series.
        var study = await Orthanc.PostJsonAsync("tools/find", new System.Text.Json.Nodes.JsonObject
        {
            ["Level"] = "Series", ["Query"] = new System.Text.Json.Nodes.JsonObject { ["StudyInstanceUID"] = scan.Study },
        });
        Assert.Equal(2, System.Text.Json.Nodes.JsonNode.Parse(study.Body)!.AsArray().Count);

        // A new bridge on the same state, several passes: nothing reconstructed or pushed again.
        using (var again = new Bridge(Options()))
        {
            await again.RunOnceAsync();
            await again.RunOnceAsync();
        }
        Assert.Equal(2, (await OrthancSeriesAsync(scan.Study)).Count);
        Assert.Equal(slices, (await OrthancSeriesAsync(scan.Study)).Single(s => s.GetString(DicomTags.SeriesInstanceUID) == row.OutputSeriesInstanceUid)
            .GetValue<int>(DicomTags.NumberOfSeriesRelatedInstances));
        using var jobs = new ReconstructionServiceClient(new DicomWebClientOptions { BaseUrl = peers.Service.BaseAddress.ToString() });
        Assert.Single(await jobs.ListForSeriesAsync(scan.Series));
    }

    [Fact]
    public async Task A_partial_push_is_completed_without_duplicates()
    {
        if (await StoreInOrthancAsync() is not { } scan) return;
        var options = Options();
        using (var bridge = new Bridge(options))
            await RunUntilSettledAsync(bridge, scan.Series);
        var row = new BridgeStateStore(options.StateDatabase).Get(scan.Series)!;
        // Simulate a bridge that died mid-push: half the CT series is missing in the PACS and the row is back at Pushing.
        using var pacs = new DicomWebClient(BridgeFixture.DicomWeb(Orthanc));
        var instances = await pacs.SearchInstancesAsync(scan.Study, row.OutputSeriesInstanceUid);
        foreach (var sop in instances.Take(instances.Count / 2).Select(i => i.GetString(DicomTags.SOPInstanceUID)))
        {
            var id = await Orthanc.LookupInstanceAsync(sop!);
            using var delete = await Orthanc.Http.DeleteAsync($"instances/{id}");
            Assert.True(delete.IsSuccessStatusCode);
        }
        new BridgeStateStore(options.StateDatabase).Advance(scan.Series, BridgeSeriesState.Pushing);

        using (var bridge = new Bridge(options))
            Assert.Equal([scan.Series], await bridge.RunOnceAsync());

        var after = await pacs.SearchInstancesAsync(scan.Study, row.OutputSeriesInstanceUid);
        Assert.Equal(instances.Select(i => i.GetString(DicomTags.SOPInstanceUID)).Order(), after.Select(i => i.GetString(DicomTags.SOPInstanceUID)).Order());
        Assert.Equal(instances.Count, new BridgeStateStore(options.StateDatabase).Get(scan.Series)!.PushedInstances);
    }

    [Fact]
    public async Task With_the_service_down_the_bridge_keeps_the_series_and_completes_once_the_service_is_up()
    {
        if (await StoreInOrthancAsync() is not { } scan) return;
        int port = ChildProcess.FreePort();
        var options = Options($"http://127.0.0.1:{port}");

        using var bridge = new Bridge(options);
        await bridge.RunOnceAsync();
        var waiting = bridge.State.Get(scan.Series)!;
        Assert.Equal(BridgeSeriesState.Ready, waiting.State);
        Assert.True(waiting.Attempts >= 1);
        Assert.Contains($"127.0.0.1:{port}", waiting.LastError);

        await using var late = await ServerProcess.StartAsync(settings: BridgeFixture.ServiceSettings, port: port);
        var row = await RunUntilSettledAsync(bridge, scan.Series);

        Assert.Equal(BridgeSeriesState.Done, row.State);
        Assert.Contains(await OrthancSeriesAsync(scan.Study), s => s.GetString(DicomTags.SeriesInstanceUID) == row.OutputSeriesInstanceUid);
    }

    [Fact]
    public async Task With_the_PACS_down_at_retrieval_the_bridge_retries_and_completes_after_it_restarts()
    {
        if (await StoreInOrthancAsync() is not { } scan) return;
        using var bridge = new Bridge(Options());
        await bridge.DiscoverAsync();
        Assert.Equal(BridgeSeriesState.Ready, bridge.State.Get(scan.Series)!.State);

        await Orthanc.StopAsync();
        await bridge.ProcessDueAsync();
        var waiting = bridge.State.Get(scan.Series)!;
        Assert.Equal(BridgeSeriesState.Ready, waiting.State);
        Assert.Equal(1, waiting.Attempts);
        Assert.Contains($"127.0.0.1:{Orthanc.HttpPort}", waiting.LastError);

        await Orthanc.StartAgainAsync();
        var row = await RunUntilSettledAsync(bridge, scan.Series);

        Assert.Equal(BridgeSeriesState.Done, row.State);
        Assert.Equal(2, (await OrthancSeriesAsync(scan.Study)).Count);
    }

    [Fact]
    public async Task With_the_PACS_killed_in_the_middle_of_a_retrieval_the_bridge_retries_and_completes_after_it_restarts()
    {
        if (await StoreInOrthancAsync() is not { } scan) return;
        var options = Options();
        options.StowBatchSize = 1; // one view per STOW: the retrieval takes seconds, so the stop lands inside it
        using var bridge = new Bridge(options);
        await bridge.DiscoverAsync();
        using var service = new DicomWebClient(new DicomWebClientOptions { BaseUrl = peers.Service.DicomWebRoot });

        var processing = bridge.ProcessDueAsync();
        while (!processing.IsCompleted && (await service.SearchInstancesAsync(scan.Study, scan.Series, [new("limit", "50")])).Count < 50)
            await Task.Delay(20);
        Assert.False(processing.IsCompleted, "the retrieval finished before the PACS could be stopped");
        await Orthanc.StopAsync();
        await processing;
        var broken = bridge.State.Get(scan.Series)!;
        Assert.Equal(BridgeSeriesState.Ready, broken.State);
        Assert.Equal(1, broken.Attempts);
        output.WriteLine(broken.LastError);

        await Orthanc.StartAgainAsync();
        options.StowBatchSize = 64;
        using var resumed = new Bridge(options); // same state, ordinary batches
        var row = await RunUntilSettledAsync(resumed, scan.Series);

        Assert.Equal(BridgeSeriesState.Done, row.State);
        Assert.Equal(scan.Views.Length, (await service.SearchInstancesAsync(scan.Study, scan.Series, [new("limit", "10000")])).Count);
        Assert.Equal(2, (await OrthancSeriesAsync(scan.Study)).Count);
    }

    [Fact]
    public async Task An_incomplete_raw_series_is_dead_lettered_with_the_reason_and_an_image_series_is_ignored_while_a_good_scan_completes()
    {
        if (await StoreInOrthancAsync(keep: i => i % 50 != 7) is not { } broken) return;
        var good = (await StoreInOrthancAsync())!;
        var images = Instances.Study(2);
        using (var pacs = new DicomWebClient(BridgeFixture.DicomWeb(Orthanc)))
            Assert.True((await pacs.StoreAsync(images.Files.Select(f => (StowPart)f).ToList())).AllStored);

        using var bridge = new Bridge(Options());
        var dead = await RunUntilSettledAsync(bridge, broken.Series);
        var done = await RunUntilSettledAsync(bridge, good.Series);
        var ignored = await RunUntilSettledAsync(bridge, images.Series);

        Assert.Equal(BridgeSeriesState.DeadLetter, dead.State);
        Assert.Contains("incomplete", dead.LastError);
        Assert.Contains("missing instance numbers 8", dead.LastError);
        Assert.Equal(BridgeSeriesState.Done, done.State);
        Assert.Equal(BridgeSeriesState.Ignored, ignored.State);
        Assert.Single(await OrthancSeriesAsync(broken.Study)); // nothing pushed for the broken scan
    }

    [Fact]
    public async Task A_raw_series_with_inconsistent_geometry_is_dead_lettered_with_the_readers_reason()
    {
        // One view claims another source distance (DetectorFocalCenterRadialDistance, 7031,xx03): not one scan.
        var scan = await StoreInOrthancAsync(edit: (i, ds) =>
        {
            if (i != 5) return;
            var item = ds.Items.Single(e => e.Tag.Group == 0x7031 && e.Tag.Element >= 0x1000 && (e.Tag.Element & 0xFF) == 0x03);
            ds.AddOrUpdate(item.Tag, DicomVR.FL, 500f);
        });
        if (scan is null) return;

        using var bridge = new Bridge(Options());
        var row = await RunUntilSettledAsync(bridge, scan.Series);

        Assert.Equal(BridgeSeriesState.DeadLetter, row.State);
        Assert.Contains("not usable projection data", row.LastError);
        Assert.Single(await OrthancSeriesAsync(scan.Study));
    }

    [Fact]
    public async Task Orthancs_change_feed_finds_a_stable_raw_series_and_the_round_trip_completes()
    {
        if (await StoreInOrthancAsync() is not { } scan) return;

        using var bridge = new Bridge(Options(mode: DiscoveryMode.OrthancChanges));
        var row = await RunUntilSettledAsync(bridge, scan.Series); // Orthanc reports StableSeries after its StableAge (2 s here)

        Assert.Equal(BridgeSeriesState.Done, row.State);
        Assert.Equal(2, (await OrthancSeriesAsync(scan.Study)).Count);
    }

    [Fact]
    public async Task A_series_stuck_in_its_push_does_not_hold_up_the_next_one()
    {
        // The first series' results go to a destination that accepts connections and never answers; the second one's
        // go back to the source. Taken one at a time, the second would wait for the first's timeout.
        using var blackhole = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        blackhole.Start();
        var slow = await StoreInOrthancAsync(edit: (_, ds) => ds.AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, "SLOW raw projections"));
        if (slow is null) return;
        var options = Options();
        options.Destinations["blackhole"] = new DicomWebClientOptions { BaseUrl = $"http://127.0.0.1:{((System.Net.IPEndPoint)blackhole.LocalEndpoint).Port}/dicom-web", TimeoutSeconds = 600 };
        options.Rules.Insert(0, new RoutingRule { Name = "slow", SeriesDescriptionPattern = "^SLOW", Method = "ssr-fbp", Destination = "blackhole" });
        using var bridge = new Bridge(options);
        await bridge.DiscoverAsync();
        var fast = (await StoreInOrthancAsync())!;
        await bridge.DiscoverAsync(); // seen after the slow one, so it comes second in the queue
        Assert.Equal(BridgeSeriesState.Ready, bridge.State.Get(fast.Series)!.State);

        using var stop = new CancellationTokenSource();
        var pass = bridge.ProcessDueAsync(stop.Token);
        var until = DateTime.UtcNow + RoundTrip;
        // Both reconstruct side by side; the slow one may still be reconstructing when the fast one is done, so wait
        // for both: the fast one done while the slow one hangs in its push.
        while ((bridge.State.Get(fast.Series)!.State != BridgeSeriesState.Done || bridge.State.Get(slow.Series)!.State != BridgeSeriesState.Pushing)
            && DateTime.UtcNow < until && !pass.IsCompleted) await Task.Delay(100);

        Assert.True(bridge.State.Get(fast.Series)!.State == BridgeSeriesState.Done, $"{bridge.State.Get(fast.Series)}\n{Logs()}");
        Assert.Equal(BridgeSeriesState.Pushing, bridge.State.Get(slow.Series)!.State); // still waiting on the silent destination
        Assert.False(pass.IsCompleted);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pass);
        Assert.Equal(2, (await OrthancSeriesAsync(fast.Study)).Count);
    }
}
