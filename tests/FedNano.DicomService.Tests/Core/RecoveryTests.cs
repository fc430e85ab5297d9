using FedNano.DicomService.Core;
using FedNano.DicomService.Core.Storage;
using static FedNano.DicomService.Tests.Core.CoreInstances;

namespace FedNano.DicomService.Tests.Core;

/// <summary>Startup recovery after a crash at each point of a store or delete, simulated by leaving its state behind and restarting.</summary>
public sealed class RecoveryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "fednano-core-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private CoreTestStorage Start() => new(root: _root);

    /// <summary>Runs phase one of a store (index row 'creating') and, optionally, the file write: what a crash before phase two leaves.</summary>
    private static async Task<InstanceLocator> CrashMidStoreAsync(CoreTestStorage storage, bool fileWritten)
    {
        var key = new InstanceKey(NewUid(), NewUid(), NewUid());
        var staged = storage.Stage(Ct(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid));
        var ingestor = new FedNano.DicomService.Core.Features.Store.InstanceIngestor(storage.Options);
        var prepared = await ingestor.PrepareAsync(staged, null, CancellationToken.None);
        var begin = await storage.Index.BeginCreateAsync(prepared.Instance, CancellationToken.None);
        Assert.Equal(BeginCreateOutcome.Started, begin.Outcome);
        var locator = new InstanceLocator(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid, begin.Watermark);
        if (fileWritten) await storage.Instances.PutAsync(locator, staged, CancellationToken.None);
        return locator;
    }

    [Fact]
    public async Task A_row_left_creating_is_removed_with_its_file_and_never_becomes_visible()
    {
        InstanceLocator locator;
        using (var crashed = Start())
        {
            locator = await CrashMidStoreAsync(crashed, fileWritten: true);
            Assert.Single(crashed.InstanceFiles());
            await Assert.ThrowsAsync<ResourceNotFoundException>(() => crashed.Retrieve.FindAsync(locator.StudyInstanceUid, null, null, CancellationToken.None));
            Assert.Empty((await crashed.SearchAsync(ResourceLevel.Study, ("StudyInstanceUID", locator.StudyInstanceUid))).Matches);
        }

        using var restarted = Start();

        Assert.Equal(1, restarted.Recovery!.IncompleteInstancesRemoved);
        Assert.Empty(restarted.InstanceFiles());
        Assert.Empty(await restarted.ChangeFeed.ReadAsync(0, 10, CancellationToken.None));
        var again = await restarted.StoreOneAsync(Ct(locator.StudyInstanceUid, locator.SeriesInstanceUid, locator.SopInstanceUid));
        Assert.Null(again.FailureReason);
    }

    [Fact]
    public async Task A_row_left_creating_before_its_file_was_written_is_removed()
    {
        using (var crashed = Start()) await CrashMidStoreAsync(crashed, fileWritten: false);

        using var restarted = Start();

        Assert.Equal(1, restarted.Recovery!.IncompleteInstancesRemoved);
        Assert.Empty(await restarted.Index.GetCreatedWatermarksAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Orphan_files_temporary_files_and_staging_leftovers_are_removed_and_stored_instances_kept()
    {
        string kept;
        using (var running = Start())
        {
            var key = new InstanceKey(NewUid(), NewUid(), NewUid());
            await running.StoreAllAsync(Ct(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid));
            kept = Assert.Single(running.InstanceFiles());
            // A delete that crashed after its transaction: the file stays without a row.
            var orphanDir = Path.Combine(running.Options.InstancesPath, "1.2.3", "1.2.3.4");
            Directory.CreateDirectory(orphanDir);
            File.WriteAllBytes(Path.Combine(orphanDir, "1.2.3.4.5.999.dcm"), [1, 2, 3]);
            File.WriteAllBytes(Path.Combine(Path.GetDirectoryName(kept)!, "1.2.3.4.5.1000.tmp"), [1, 2, 3]);
            File.WriteAllBytes(Path.Combine(running.Options.StagingPath, "half-received.part"), [1, 2, 3]);
            Directory.CreateDirectory(Path.Combine(running.Options.StagingPath, "request-42"));
        }

        using var restarted = Start();

        Assert.Equal([kept], restarted.InstanceFiles());
        Assert.Empty(Directory.EnumerateFileSystemEntries(restarted.Options.StagingPath));
        Assert.Equal(2, restarted.Recovery!.StagingEntriesRemoved);
        Assert.Equal(1, restarted.Recovery.InstancesKept);
        Assert.False(Directory.Exists(Path.Combine(restarted.Options.InstancesPath, "1.2.3")));
    }

    [Fact]
    public async Task A_created_instance_whose_file_disappeared_is_removed_from_the_index_with_a_delete_event()
    {
        var key = new InstanceKey(NewUid(), NewUid(), NewUid());
        using (var running = Start())
        {
            await running.StoreAllAsync(Ct(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid));
            File.Delete(Assert.Single(running.InstanceFiles()));
        }

        using var restarted = Start();

        Assert.Equal(1, restarted.Recovery!.InstancesWithoutFileRemoved);
        Assert.Empty((await restarted.SearchAsync(ResourceLevel.Study)).Matches);
        var feed = await restarted.ChangeFeed.ReadAsync(0, 10, CancellationToken.None);
        Assert.Equal([ChangeFeedAction.Create, ChangeFeedAction.Delete], feed.Select(e => e.Action));
    }

    [Fact]
    public async Task Recovery_of_a_clean_store_changes_nothing()
    {
        var key = new InstanceKey(NewUid(), NewUid(), NewUid());
        using (var running = Start()) await running.StoreAllAsync(Ct(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid));

        using var restarted = Start();

        Assert.Equal(new RecoveryReport(0, 0, 1, 0), restarted.Recovery);
        Assert.NotNull(await restarted.FindOneAsync(key));
    }
}
