using FedNano.Dicom;
using FedNano.DicomService.Core;
using static FedNano.DicomService.Tests.Core.CoreInstances;

namespace FedNano.DicomService.Tests.Core;

public sealed class DeleteAndChangeFeedTests : IDisposable
{
    private readonly CoreTestStorage _storage = new();

    public void Dispose() => _storage.Dispose();

    [Fact]
    public async Task Deleting_an_instance_removes_its_file_and_index_entry_and_appends_a_delete_event()
    {
        var key = new InstanceKey(NewUid(), NewUid(), NewUid());
        var other = new InstanceKey(key.StudyInstanceUid, key.SeriesInstanceUid, NewUid());
        await _storage.StoreAllAsync(Ct(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid),
            Ct(other.StudyInstanceUid, other.SeriesInstanceUid, other.SopInstanceUid, instanceNumber: 2));

        var removed = await _storage.Delete.DeleteAsync(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid, CancellationToken.None);

        Assert.Equal(1, removed);
        Assert.Single(_storage.InstanceFiles());
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _storage.FindOneAsync(key));
        var last = (await _storage.ChangeFeed.ReadAsync(0, 100, CancellationToken.None))[^1];
        Assert.Equal(ChangeFeedAction.Delete, last.Action);
        Assert.Equal(key, last.Key);
        Assert.Equal(CtImageStorage, last.SopClassUid);
        var series = Assert.Single((await _storage.SearchAsync(ResourceLevel.Series, ("SeriesInstanceUID", key.SeriesInstanceUid))).Matches);
        Assert.Equal("1", series.GetString(DicomTags.NumberOfSeriesRelatedInstances));
    }

    [Fact]
    public async Task Deleting_a_study_removes_it_from_queries_and_storage()
    {
        var study = NewUid();
        await _storage.StoreAllAsync(Ct(study, NewUid(), NewUid()), Ct(study, NewUid(), NewUid()));
        var keep = NewUid();
        await _storage.StoreAllAsync(Ct(keep, NewUid(), NewUid()));

        Assert.Equal(2, await _storage.Delete.DeleteAsync(study, null, null, CancellationToken.None));

        Assert.Empty((await _storage.SearchAsync(ResourceLevel.Study, ("StudyInstanceUID", study))).Matches);
        Assert.Empty((await _storage.SearchAsync(ResourceLevel.Series, study, null)).Matches);
        Assert.Single((await _storage.SearchAsync(ResourceLevel.Study)).Matches);
        Assert.Single(_storage.InstanceFiles());
        Assert.False(Directory.Exists(Path.Combine(_storage.Options.InstancesPath, study)));
    }

    [Fact]
    public async Task Deleting_something_that_does_not_exist_is_not_found()
    {
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _storage.Delete.DeleteAsync(NewUid(), null, null, CancellationToken.None));
    }

    [Fact]
    public async Task A_deleted_instance_can_be_stored_again()
    {
        var key = new InstanceKey(NewUid(), NewUid(), NewUid());
        var dataset = Ct(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid);
        await _storage.StoreAllAsync(dataset);
        var before = await _storage.FindOneAsync(key);
        await _storage.Delete.DeleteAsync(key.StudyInstanceUid, null, null, CancellationToken.None);

        var again = await _storage.StoreOneAsync(dataset);

        Assert.Null(again.FailureReason);
        Assert.True((await _storage.FindOneAsync(key)).Watermark > before.Watermark);
    }

    [Fact]
    public async Task Change_feed_sequences_start_at_one_and_page_by_offset_and_limit()
    {
        var study = NewUid();
        var datasets = Enumerable.Range(0, 5).Select(i => Ct(study, NewUid(), NewUid(), instanceNumber: i)).ToArray();
        foreach (var d in datasets) await _storage.StoreAllAsync(d);
        await _storage.Delete.DeleteAsync(study, null, null, CancellationToken.None);

        var all = await _storage.ChangeFeed.ReadAsync(0, 100, CancellationToken.None);
        var page = await _storage.ChangeFeed.ReadAsync(3, 4, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), all.Select(e => e.Sequence));
        Assert.Equal(datasets.Select(d => d.GetString(DicomTags.SOPInstanceUID)), all.Take(5).Select(e => e.Key.SopInstanceUid));
        Assert.All(all.Take(5), e => Assert.Equal(ChangeFeedAction.Create, e.Action));
        Assert.All(all.Skip(5), e => Assert.Equal(ChangeFeedAction.Delete, e.Action));
        Assert.Equal([4L, 5, 6, 7], page.Select(e => e.Sequence));
        Assert.Equal(10, await _storage.ChangeFeed.GetLatestSequenceAsync(CancellationToken.None));
        Assert.True(all[0].Timestamp > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Change_feed_rejects_a_negative_offset()
    {
        await Assert.ThrowsAsync<InvalidRequestException>(() => _storage.ChangeFeed.ReadAsync(-1, 10, CancellationToken.None));
    }
}
