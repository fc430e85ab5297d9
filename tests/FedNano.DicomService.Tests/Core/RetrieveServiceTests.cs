using FedNano.Dicom;
using FedNano.DicomService.Core;
using static FedNano.DicomService.Tests.Core.CoreInstances;

namespace FedNano.DicomService.Tests.Core;

public sealed class RetrieveServiceTests : IDisposable
{
    private readonly CoreTestStorage _storage = new();

    public void Dispose() => _storage.Dispose();

    private async Task<(InstanceKey Key, StoredInstance Instance, DicomDataset Dataset)> StoreAsync(int rows = 4, int columns = 4, int frames = 1,
        DicomTransferSyntax? syntax = null)
    {
        var key = new InstanceKey(NewUid(), NewUid(), NewUid());
        var dataset = Ct(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid, rows, columns, frames);
        var result = await _storage.StoreOneAsync(dataset, syntax);
        Assert.True(result.FailureReason is null, result.Message);
        return (key, await _storage.FindOneAsync(key), dataset);
    }

    [Fact]
    public async Task Find_orders_instances_by_series_number_then_instance_number()
    {
        var study = NewUid();
        string s1 = NewUid(), s2 = NewUid();
        var a = Ct(study, s2, NewUid(), seriesNumber: 2, instanceNumber: 1);
        var b = Ct(study, s1, NewUid(), seriesNumber: 1, instanceNumber: 10);
        var c = Ct(study, s1, NewUid(), seriesNumber: 1, instanceNumber: 9);
        await _storage.StoreAllAsync(a, b, c);

        var found = await _storage.Retrieve.FindAsync(study, null, null, CancellationToken.None);

        Assert.Equal(new[] { c, b, a }.Select(d => d.GetString(DicomTags.SOPInstanceUID)), found.Select(f => f.Key.SopInstanceUid));
    }

    [Fact]
    public async Task Find_of_an_unknown_study_throws_not_found()
    {
        var ex = await Assert.ThrowsAsync<ResourceNotFoundException>(() => _storage.Retrieve.FindAsync(NewUid(), null, null, CancellationToken.None));

        Assert.Contains("was not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Find_with_an_invalid_uid_is_a_bad_request()
    {
        await Assert.ThrowsAsync<InvalidRequestException>(() => _storage.Retrieve.FindAsync("1.2.abc", null, null, CancellationToken.None));
    }

    [Fact]
    public async Task Metadata_gives_pixel_data_as_a_relative_bulk_data_uri()
    {
        var (_, instance, _) = await StoreAsync();

        var metadata = await _storage.Retrieve.GetMetadataAsync(instance, CancellationToken.None);

        var pixel = Assert.IsType<DicomElement>(metadata.GetItem(DicomTags.PixelData));
        Assert.Equal("bulkdata/7FE00010", Assert.IsType<BulkDataUriByteSource>(pixel.Value).Uri);
        Assert.Equal("FedNano", metadata.GetString(DicomTags.Manufacturer));
        Assert.Equal(instance.Key.SopInstanceUid, metadata.GetString(DicomTags.SOPInstanceUID));
    }

    [Fact]
    public async Task Metadata_comes_from_the_index_without_reading_the_instance_file()
    {
        var (_, instance, _) = await StoreAsync();
        foreach (var file in _storage.InstanceFiles()) File.Delete(file);

        var metadata = await _storage.Retrieve.GetMetadataAsync(instance, CancellationToken.None);

        Assert.Equal(instance.Key.SopInstanceUid, metadata.GetString(DicomTags.SOPInstanceUID));
    }

    [Fact]
    public async Task Native_multiframe_frames_are_served_from_precomputed_offsets()
    {
        var (_, instance, dataset) = await StoreAsync(rows: 64, columns: 64, frames: 5); // 40 KiB: read eagerly at ingest
        var pixel = DicomPixelData.Create(dataset, DicomTransferSyntax.ExplicitVRLittleEndian);

        var frames = await _storage.Retrieve.GetFramesAsync(instance, [5, 1, 3], CancellationToken.None);

        Assert.Equal(5, instance.FrameCount);
        Assert.Equal(3, frames.Count);
        Assert.All(frames, f => Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian.Uid, f.TransferSyntaxUid));
        Assert.Equal(pixel.GetFrameBytes(4).ToArray(), await ReadAllAsync(frames[0].Content));
        Assert.Equal(pixel.GetFrameBytes(0).ToArray(), await ReadAllAsync(frames[1].Content));
        Assert.Equal(pixel.GetFrameBytes(2).ToArray(), await ReadAllAsync(frames[2].Content));
        Assert.Equal(64 * 64 * 2, frames[0].Length);
    }

    [Fact]
    public async Task Frames_of_pixel_data_kept_in_the_file_at_ingest_are_served_too()
    {
        var (_, instance, dataset) = await StoreAsync(rows: 128, columns: 128, frames: 3); // 96 KiB: left in the file while parsing
        var pixel = DicomPixelData.Create(dataset, DicomTransferSyntax.ExplicitVRLittleEndian);

        var frame = Assert.Single(await _storage.Retrieve.GetFramesAsync(instance, [2], CancellationToken.None));

        Assert.Equal(pixel.GetFrameBytes(1).ToArray(), await ReadAllAsync(frame.Content));
    }

    [Fact]
    public async Task Rle_frames_are_the_compressed_bytes_of_each_frame()
    {
        var (key, instance, _) = await StoreAsync(rows: 16, columns: 16, frames: 3, syntax: DicomTransferSyntax.RLELossless);
        var stored = DicomFile.Read(await ReadAllAsync(_storage.Retrieve.OpenInstance(instance)));
        var pixel = DicomPixelData.Create(stored.Dataset, stored.TransferSyntax);

        var frames = await _storage.Retrieve.GetFramesAsync(instance, [1, 2, 3], CancellationToken.None);

        Assert.Equal(DicomTransferSyntax.RLELossless.Uid, instance.TransferSyntaxUid);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(DicomTransferSyntax.RLELossless.Uid, frames[i].TransferSyntaxUid);
            Assert.Equal(pixel.GetEncapsulatedFrame(i).ToArray(), await ReadAllAsync(frames[i].Content));
        }
        Assert.Equal(key.SopInstanceUid, instance.Key.SopInstanceUid);
    }

    [Fact]
    public async Task Frames_of_a_deflated_instance_are_decoded_from_the_file()
    {
        var (_, instance, dataset) = await StoreAsync(rows: 8, columns: 8, frames: 2, syntax: DicomTransferSyntax.DeflatedExplicitVRLittleEndian);
        var pixel = DicomPixelData.Create(dataset, DicomTransferSyntax.ExplicitVRLittleEndian);

        var frame = Assert.Single(await _storage.Retrieve.GetFramesAsync(instance, [2], CancellationToken.None));

        Assert.Equal(pixel.GetFrameBytes(1).ToArray(), await ReadAllAsync(frame.Content));
    }

    [Fact]
    public async Task A_frame_beyond_the_last_is_not_found_naming_the_frame_and_the_count()
    {
        var (_, instance, _) = await StoreAsync(frames: 2);

        var ex = await Assert.ThrowsAsync<ResourceNotFoundException>(() => _storage.Retrieve.GetFramesAsync(instance, [1, 3], CancellationToken.None));

        Assert.Contains("Frame 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2 frames", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frames_of_an_instance_without_pixel_data_are_not_found()
    {
        var key = new InstanceKey(NewUid(), NewUid(), NewUid());
        await _storage.StoreOneAsync(Ct(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid, pixels: false));
        var instance = await _storage.FindOneAsync(key);

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _storage.Retrieve.GetFramesAsync(instance, [1], CancellationToken.None));
    }

    [Fact]
    public async Task Bulk_data_of_pixel_data_is_the_pixel_data_value()
    {
        var (_, instance, dataset) = await StoreAsync(rows: 8, columns: 8, frames: 2);

        var bulk = await _storage.BulkData.GetBulkDataAsync(instance, "7FE00010", CancellationToken.None);

        Assert.Equal(dataset.TryGetElement(DicomTags.PixelData, out var e) ? e.Value.GetMemory().ToArray() : null, await ReadAllAsync(bulk.Content));
        Assert.Null(bulk.TransferSyntaxUid);
    }

    [Fact]
    public async Task Bulk_data_inside_a_sequence_is_located_by_its_item_path()
    {
        var key = new InstanceKey(NewUid(), NewUid(), NewUid());
        var dataset = Ct(key.StudyInstanceUid, key.SeriesInstanceUid, key.SopInstanceUid, pixels: false);
        var blob = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();
        var item = new DicomDataset().AddOrUpdate(DicomTags.EncapsulatedDocument, DicomVR.OB, blob);
        dataset.AddOrUpdate(DicomTags.ContentSequence, new DicomDataset(), item);
        await _storage.StoreOneAsync(dataset);
        var instance = await _storage.FindOneAsync(key);

        var metadata = await _storage.Retrieve.GetMetadataAsync(instance, CancellationToken.None);
        var element = (DicomElement)metadata.GetSequenceItems(DicomTags.ContentSequence)[1].GetItem(DicomTags.EncapsulatedDocument)!;
        var uri = Assert.IsType<BulkDataUriByteSource>(element.Value).Uri;
        var bulk = await _storage.BulkData.GetBulkDataAsync(instance, uri, CancellationToken.None);

        Assert.Equal("bulkdata/0040A730/1/00420011", uri);
        Assert.Equal(blob, await ReadAllAsync(bulk.Content));
    }

    [Fact]
    public async Task Unknown_bulk_data_path_is_not_found()
    {
        var (_, instance, _) = await StoreAsync();

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _storage.BulkData.GetBulkDataAsync(instance, "00100010", CancellationToken.None));
    }
}
