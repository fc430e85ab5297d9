using System.Text;
using FedNano.Dicom;
using FedNano.DicomService.Core;
using static FedNano.DicomService.Tests.Core.CoreInstances;

namespace FedNano.DicomService.Tests.Core;

public sealed class StoreServiceTests : IDisposable
{
    private readonly CoreTestStorage _storage = new();

    public void Dispose() => _storage.Dispose();

    [Fact]
    public async Task Stored_instance_is_found_and_opens_with_the_bytes_that_were_sent()
    {
        var key = new InstanceKey(NewUid(), NewUid(), NewUid());
        var dataset = Ct(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid);
        var sent = Bytes(dataset);

        var result = await _storage.Store.StoreAsync([new StagedPart(_storage.StageBytes(sent), "application/dicom")], null, CancellationToken.None);

        var stored = Assert.Single(result.Instances);
        Assert.Null(stored.FailureReason);
        Assert.Equal(key, stored.Key);
        Assert.Equal(CtImageStorage, stored.SopClassUid);
        var found = await _storage.FindOneAsync(key);
        Assert.Equal(sent.Length, found.SizeBytes);
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian.Uid, found.TransferSyntaxUid);
        Assert.Equal(1, found.FrameCount);
        Assert.Equal(sent, await ReadAllAsync(_storage.Retrieve.OpenInstance(found)));
    }

    [Fact]
    public async Task Staged_files_are_gone_after_the_request()
    {
        var good = _storage.Stage(Ct(NewUid(), NewUid(), NewUid()));
        var bad = _storage.StageBytes(Encoding.ASCII.GetBytes("not dicom at all"));

        await _storage.Store.StoreAsync([new StagedPart(good, "application/dicom"), new StagedPart(bad, "application/dicom")], null, CancellationToken.None);

        Assert.Empty(Directory.GetFiles(_storage.Options.StagingPath));
    }

    [Fact]
    public async Task An_invalid_study_uid_in_the_url_is_a_bad_request_and_removes_the_staged_parts()
    {
        var staged = _storage.Stage(Ct(NewUid(), NewUid(), NewUid()));

        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() =>
            _storage.Store.StoreAsync([new StagedPart(staged, "application/dicom")], "1.2.abc", CancellationToken.None));

        Assert.Contains("1.2.abc", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(staged));
    }

    [Fact]
    public async Task Resending_an_identical_instance_succeeds_without_a_new_change_feed_event()
    {
        var dataset = Ct(NewUid(), NewUid(), NewUid());
        var first = await _storage.StoreOneAsync(dataset);
        var sequence = await _storage.ChangeFeed.GetLatestSequenceAsync(CancellationToken.None);

        var again = await _storage.StoreOneAsync(dataset);

        Assert.Null(again.FailureReason);
        Assert.Equal(first.Key, again.Key);
        Assert.Equal(sequence, await _storage.ChangeFeed.GetLatestSequenceAsync(CancellationToken.None));
        Assert.Single(_storage.InstanceFiles());
    }

    [Fact]
    public async Task Resending_with_a_rewritten_file_meta_header_is_still_identical()
    {
        var dataset = Ct(NewUid(), NewUid(), NewUid());
        await _storage.StoreOneAsync(dataset);
        var file = new DicomFile(dataset);
        file.FileMetaInfo.AddOrUpdate(DicomTags.SourceApplicationEntityTitle, DicomVR.AE, "OTHER_SENDER");

        var again = await _storage.Store.StoreAsync([new StagedPart(_storage.StageBytes(file.ToBytes()), null)], null, CancellationToken.None);

        Assert.Null(Assert.Single(again.Instances).FailureReason);
    }

    [Fact]
    public async Task Resending_different_content_under_a_stored_sop_instance_uid_fails_with_0111_and_keeps_the_original()
    {
        var key = new InstanceKey(NewUid(), NewUid(), NewUid());
        var original = Ct(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid, patientName: "Original^Name");
        await _storage.StoreOneAsync(original);
        var before = await ReadAllAsync(_storage.Retrieve.OpenInstance(await _storage.FindOneAsync(key)));
        var sequence = await _storage.ChangeFeed.GetLatestSequenceAsync(CancellationToken.None);

        var conflict = await _storage.StoreOneAsync(Ct(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid, patientName: "Other^Name"));

        Assert.Equal(StowStatus.DuplicateSopInstance, conflict.FailureReason);
        Assert.Null(conflict.Key);
        Assert.Contains("differs", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(before, await ReadAllAsync(_storage.Retrieve.OpenInstance(await _storage.FindOneAsync(key))));
        Assert.Equal(sequence, await _storage.ChangeFeed.GetLatestSequenceAsync(CancellationToken.None));
        var match = Assert.Single((await _storage.SearchAsync(ResourceLevel.Study, ("StudyInstanceUID", key.StudyInstanceUid))).Matches);
        Assert.Equal("Original^Name", match.GetString(DicomTags.PatientName));
    }

    [Fact]
    public async Task An_instance_of_another_study_than_the_url_fails_with_A900_and_is_not_stored()
    {
        var result = await _storage.StoreOneAsync(Ct(NewUid(), NewUid(), NewUid()), study: NewUid());

        Assert.Equal(StowStatus.DataSetDoesNotMatchSopClass, result.FailureReason);
        Assert.Contains("does not match the study", result.Message, StringComparison.Ordinal);
        Assert.Empty(_storage.InstanceFiles());
    }

    [Fact]
    public async Task A_malformed_part_fails_with_C000_while_the_good_parts_of_the_request_are_stored()
    {
        var study = NewUid();
        var good1 = Ct(study, NewUid(), NewUid());
        var good2 = Ct(study, NewUid(), NewUid());
        var truncated = Bytes(Ct(study, NewUid(), NewUid()));
        truncated = truncated[..(truncated.Length - 10)];

        var result = await _storage.Store.StoreAsync(
        [
            new StagedPart(_storage.Stage(good1), "application/dicom"),
            new StagedPart(_storage.StageBytes(truncated), "application/dicom"),
            new StagedPart(_storage.Stage(good2), "application/dicom"),
        ], study, CancellationToken.None);

        Assert.Equal(3, result.Instances.Count);
        Assert.Null(result.Instances[0].FailureReason);
        Assert.Equal(StowStatus.CannotUnderstand, result.Instances[1].FailureReason);
        Assert.False(string.IsNullOrWhiteSpace(result.Instances[1].Message));
        Assert.Null(result.Instances[2].FailureReason);
        Assert.Equal(2, (await _storage.Retrieve.FindAsync(study, null, null, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_part_that_is_not_dicom_at_all_fails_with_C000()
    {
        var result = await _storage.Store.StoreAsync([new StagedPart(_storage.StageBytes(Encoding.ASCII.GetBytes("hello")), "application/dicom")], null, CancellationToken.None);

        Assert.Equal(StowStatus.CannotUnderstand, Assert.Single(result.Instances).FailureReason);
    }

    [Fact]
    public async Task A_part_with_another_media_type_fails_with_C000()
    {
        var result = await _storage.Store.StoreAsync([new StagedPart(_storage.Stage(Ct(NewUid(), NewUid(), NewUid())), "application/json")], null, CancellationToken.None);

        var failed = Assert.Single(result.Instances);
        Assert.Equal(StowStatus.CannotUnderstand, failed.FailureReason);
        Assert.Contains("application/json", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_sop_instance_uid_fails_with_A900_naming_the_attribute()
    {
        var dataset = Ct(NewUid(), NewUid(), NewUid());
        dataset.Remove(DicomTags.SOPInstanceUID);

        var result = await _storage.StoreOneAsync(dataset);

        Assert.Equal(StowStatus.DataSetDoesNotMatchSopClass, result.FailureReason);
        Assert.Contains("SOPInstanceUID", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_study_uid_fails_with_A900()
    {
        var result = await _storage.StoreOneAsync(Ct("1.2.03.4", NewUid(), NewUid()));

        Assert.Equal(StowStatus.DataSetDoesNotMatchSopClass, result.FailureReason);
        Assert.Contains("leading zero", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sop_class_that_is_a_transfer_syntax_uid_fails_with_0122()
    {
        var dataset = Ct(NewUid(), NewUid(), NewUid());
        dataset.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, DicomTransferSyntax.ExplicitVRLittleEndian.Uid);

        var result = await _storage.StoreOneAsync(dataset);

        Assert.Equal(StowStatus.SopClassNotSupported, result.FailureReason);
    }

    [Fact]
    public async Task An_unknown_transfer_syntax_fails_with_C122()
    {
        var bytes = Bytes(Ct(NewUid(), NewUid(), NewUid()));
        var known = Encoding.ASCII.GetBytes("1.2.840.10008.1.2.1\0");
        var unknown = Encoding.ASCII.GetBytes("1.2.3.4.5.6.7.8.9.10");
        var at = bytes.AsSpan().IndexOf(known);
        unknown.CopyTo(bytes, at);

        var result = await _storage.Store.StoreAsync([new StagedPart(_storage.StageBytes(bytes), "application/dicom")], null, CancellationToken.None);

        Assert.Equal(StowStatus.TransferSyntaxNotSupported, Assert.Single(result.Instances).FailureReason);
    }

    [Fact]
    public async Task An_instance_larger_than_the_limit_fails_with_A700()
    {
        using var small = new CoreTestStorage(o => o.MaxInstanceBytes = 200);

        var result = await small.StoreOneAsync(Ct(NewUid(), NewUid(), NewUid()));

        Assert.Equal(StowStatus.OutOfResources, result.FailureReason);
    }

    [Fact]
    public async Task A_series_uid_already_used_by_another_study_fails_with_A900()
    {
        var series = NewUid();
        await _storage.StoreOneAsync(Ct(NewUid(), series, NewUid()));

        var result = await _storage.StoreOneAsync(Ct(NewUid(), series, NewUid()));

        Assert.Equal(StowStatus.DataSetDoesNotMatchSopClass, result.FailureReason);
        Assert.Contains("already belongs to study", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_without_preamble_and_file_meta_is_stored_as_a_proper_part_10_file()
    {
        var key = new InstanceKey(NewUid(), NewUid(), NewUid());
        var full = Bytes(Ct(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid), DicomTransferSyntax.ImplicitVRLittleEndian);
        using var parsed = new MemoryStream(full);
        var raw = full[(int)FedNano.DicomService.Core.Features.Store.InstanceIngestor.DatasetOffset(parsed)..];

        var result = await _storage.Store.StoreAsync([new StagedPart(_storage.StageBytes(raw), null)], null, CancellationToken.None);

        Assert.Null(Assert.Single(result.Instances).FailureReason);
        var stored = await ReadAllAsync(_storage.Retrieve.OpenInstance(await _storage.FindOneAsync(key)));
        Assert.Equal("DICM", Encoding.ASCII.GetString(stored, 128, 4));
        Assert.True(DicomFile.Read(stored).HadPreamble);
    }

    [Fact]
    public async Task Instances_stored_with_fsync_are_complete()
    {
        using var durable = new CoreTestStorage(o => o.FlushToDisk = true);
        var key = new InstanceKey(NewUid(), NewUid(), NewUid());
        var sent = Bytes(Ct(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid));

        var result = await durable.Store.StoreAsync([new StagedPart(durable.StageBytes(sent), "application/dicom")], null, CancellationToken.None);

        Assert.Null(Assert.Single(result.Instances).FailureReason);
        Assert.Equal(sent, await ReadAllAsync(durable.Retrieve.OpenInstance(await durable.FindOneAsync(key))));
        Assert.DoesNotContain(durable.InstanceFiles(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_stores_of_the_same_study_from_several_tasks_are_all_stored_once()
    {
        var study = NewUid();
        var series = Enumerable.Range(0, 3).Select(_ => NewUid()).ToArray();
        var datasets = Enumerable.Range(0, 40).Select(i => Ct(study, series[i % 3], NewUid(), instanceNumber: i, seriesNumber: i % 3 + 1)).ToArray();

        // 8 clients, each sending overlapping halves of the instances (so every instance also arrives twice at once).
        var tasks = Enumerable.Range(0, 8).Select(client => Task.Run(async () =>
        {
            var mine = datasets.Where((_, i) => (i + client) % 2 == 0).ToList();
            var result = await _storage.Store.StoreAsync(mine.Select(d => new StagedPart(_storage.Stage(d), "application/dicom")).ToList(), study, CancellationToken.None);
            return result.Instances;
        })).ToArray();
        var all = (await Task.WhenAll(tasks)).SelectMany(r => r).ToList();

        Assert.All(all, r => Assert.Null(r.FailureReason));
        Assert.Equal(40, (await _storage.Retrieve.FindAsync(study, null, null, CancellationToken.None)).Count);
        Assert.Equal(40, _storage.InstanceFiles().Length);
        var feed = await _storage.ChangeFeed.ReadAsync(0, 1000, CancellationToken.None);
        Assert.Equal(40, feed.Count);
        Assert.Equal(40, feed.Select(e => e.Key.SopInstanceUid).Distinct().Count());
        var studyMatch = Assert.Single((await _storage.SearchAsync(ResourceLevel.Study, ("StudyInstanceUID", study))).Matches);
        Assert.Equal("3", studyMatch.GetString(DicomTags.NumberOfStudyRelatedSeries));
        Assert.Equal("40", studyMatch.GetString(DicomTags.NumberOfStudyRelatedInstances));
    }
}
