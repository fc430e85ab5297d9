using FedNano.Dicom;
using FedNano.DicomService.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FedNano.DicomService.Core.Features.Retrieve;

/// <summary>
/// WADO-RS: finds created instances, opens their files, and serves metadata and frames from what was computed at ingest
/// (metadata JSON and frame byte ranges in the index), so a large file is never parsed again. Bulk data likewise.
/// </summary>
public sealed class RetrieveService : IRetrieveService, IBulkDataService
{
    private readonly IIndexStore _index;
    private readonly IInstanceStore _instances;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    public RetrieveService(IIndexStore index, IInstanceStore instances, ILogger<RetrieveService>? logger = null)
    {
        _index = index;
        _instances = instances;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredInstance>> FindAsync(string studyInstanceUid, string? seriesInstanceUid, string? sopInstanceUid, CancellationToken cancellationToken)
    {
        CheckUid(studyInstanceUid, "study");
        if (seriesInstanceUid is not null) CheckUid(seriesInstanceUid, "series");
        if (sopInstanceUid is not null) CheckUid(sopInstanceUid, "SOP instance");
        var found = await _index.FindInstancesAsync(studyInstanceUid, seriesInstanceUid, sopInstanceUid, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0)
        {
            throw new ResourceNotFoundException(sopInstanceUid is not null
                ? $"Instance {sopInstanceUid} was not found in {(seriesInstanceUid is null ? "" : $"series {seriesInstanceUid} of ")}study {studyInstanceUid}."
                : seriesInstanceUid is not null
                    ? $"Series {seriesInstanceUid} was not found in study {studyInstanceUid}."
                    : $"Study {studyInstanceUid} was not found.");
        }
        return found;
    }

    internal static void CheckUid(string uid, string what)
    {
        if (DicomUid.Validate(uid) is { } problem) throw new InvalidRequestException($"The {what} UID '{uid}' is not valid: {problem}.");
    }

    /// <inheritdoc />
    public Stream OpenInstance(StoredInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return _instances.OpenRead(InstanceLocator.From(instance));
    }

    private async Task<InstanceDataRecord> DataAsync(StoredInstance instance, CancellationToken cancellationToken) =>
        await _index.GetInstanceDataAsync(instance.Watermark, cancellationToken).ConfigureAwait(false)
        ?? throw new ResourceNotFoundException($"Instance {instance.Key.SopInstanceUid} is no longer stored.");

    /// <inheritdoc />
    public async Task<DicomDataset> GetMetadataAsync(StoredInstance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var data = await DataAsync(instance, cancellationToken).ConfigureAwait(false);
        return DicomJsonReader.Deserialize(data.MetadataJson);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<FrameContent>> GetFramesAsync(StoredInstance instance, IReadOnlyList<int> frameNumbers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(frameNumbers);
        if (frameNumbers.Count == 0) throw new InvalidRequestException("No frame numbers were given.");
        foreach (var n in frameNumbers)
            if (n < 1) throw new InvalidRequestException($"Frame number {n} is invalid: frames are numbered from 1.");
        if (instance.FrameCount == 0)
            throw new ResourceNotFoundException($"Instance {instance.Key.SopInstanceUid} has no frames (no usable Pixel Data).");
        foreach (var n in frameNumbers)
            if (n > instance.FrameCount)
                throw new ResourceNotFoundException($"Frame {n} does not exist: instance {instance.Key.SopInstanceUid} has {instance.FrameCount} frame{(instance.FrameCount == 1 ? "" : "s")}.");

        var data = await DataAsync(instance, cancellationToken).ConfigureAwait(false);
        var index = FrameIndex.Deserialize(data.FrameIndex);
        var locator = InstanceLocator.From(instance);
        switch (index.Mode)
        {
            case FrameIndexMode.Ranges:
                return frameNumbers.Select(n =>
                {
                    var ranges = index.Frames[n - 1];
                    var stream = _instances.OpenRanges(locator, ranges);
                    return new FrameContent(stream, stream.Length, index.TransferSyntaxUid);
                }).ToList();
            case FrameIndexMode.Parse:
                {
                    _logger.LogDebug("Frames of {Sop} are served by parsing the file ({Syntax}).", instance.Key.SopInstanceUid, instance.TransferSyntaxUid);
                    var file = ParseStored(locator);
                    var pixel = DicomPixelData.Create(file.Dataset, file.TransferSyntax);
                    return frameNumbers.Select(n =>
                    {
                        var bytes = pixel.IsEncapsulated ? pixel.GetEncapsulatedFrame(n - 1) : pixel.GetFrameBytes(n - 1);
                        return new FrameContent(new MemoryStream(bytes.ToArray(), writable: false), bytes.Length, index.TransferSyntaxUid);
                    }).ToList();
                }
            default:
                throw new ResourceNotFoundException($"Instance {instance.Key.SopInstanceUid} has no frames that can be served.");
        }
    }

    /// <inheritdoc />
    public async Task<BulkDataContent> GetBulkDataAsync(StoredInstance instance, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(path);
        path = path.Trim('/');
        if (path.StartsWith("bulkdata/", StringComparison.OrdinalIgnoreCase)) path = path["bulkdata/".Length..];
        var data = await DataAsync(instance, cancellationToken).ConfigureAwait(false);
        var entries = BulkDataIndex.Deserialize(data.BulkDataIndex);
        if (!entries.TryGetValue(path, out var entry))
            throw new ResourceNotFoundException($"Instance {instance.Key.SopInstanceUid} has no bulk data at '{path}'.");
        var syntax = entry.IsEncapsulated ? instance.TransferSyntaxUid : null;
        var locator = InstanceLocator.From(instance);
        if (entry.Ranges is not null)
        {
            var stream = _instances.OpenRanges(locator, entry.Ranges);
            return new BulkDataContent(stream, stream.Length, syntax);
        }
        var item = Navigate(ParseStored(locator).Dataset, entry.Path)
            ?? throw new ResourceNotFoundException($"Instance {instance.Key.SopInstanceUid} has no bulk data at '{path}'.");
        byte[] bytes = item switch
        {
            DicomElement e => e.Value.GetMemory().ToArray(),
            DicomFragmentSequence f => f.Fragments.SelectMany(x => x.GetMemory().ToArray()).ToArray(),
            _ => [],
        };
        return new BulkDataContent(new MemoryStream(bytes, writable: false), bytes.Length, syntax);
    }

    /// <summary>Parses the stored file: only for data that is not stored verbatim (deflated, big endian).</summary>
    private DicomFile ParseStored(InstanceLocator locator)
    {
        if (_instances.GetLocalPath(locator) is { } local && File.Exists(local)) return DicomFile.Open(local);
        using var stream = _instances.OpenRead(locator);
        return DicomFile.Read(stream);
    }

    private static DicomItem? Navigate(DicomDataset dataset, string path)
    {
        var parts = path.Split('/');
        var current = dataset;
        for (var i = 0; i < parts.Length; i += 2)
        {
            if (!DicomTag.TryParse(parts[i], out var tag)) return null;
            var item = current.GetItem(tag);
            if (i == parts.Length - 1) return item;
            if (item is not DicomSequence sequence || !int.TryParse(parts[i + 1], out var n) || n < 0 || n >= sequence.Items.Count) return null;
            current = sequence.Items[n];
        }
        return null;
    }
}
