using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using FedNano.Dicom;
using FedNano.DicomService.Core.Features.Retrieve;
using FedNano.DicomService.Core.Query;
using FedNano.DicomService.Core.Storage;

namespace FedNano.DicomService.Core.Features.Store;

/// <summary>A staged part that passed validation, with everything the index needs (computed once, here).</summary>
/// <param name="Instance">Index data.</param>
/// <param name="FilePath">The file to store (the staged part, or a normalized copy of it).</param>
/// <param name="WarningReason">A warning code, if any.</param>
/// <param name="WarningMessage">Its reason.</param>
internal sealed record PreparedInstance(IndexedInstance Instance, string FilePath, ushort? WarningReason, string? WarningMessage);

/// <summary>Why a part cannot be stored.</summary>
internal sealed class IngestFailure(ushort code, string message, string? sopClassUid = null, string? sopInstanceUid = null) : Exception(message)
{
    public ushort Code { get; } = code;
    public string? SopClassUid { get; } = sopClassUid;
    public string? SopInstanceUid { get; } = sopInstanceUid;
}

/// <summary>
/// Parses a staged Part 10 file (large values stay in the file), validates it, and computes what WADO-RS and QIDO-RS
/// need later so that the file is never parsed again: the index attributes, the metadata JSON (bulk values as relative
/// BulkDataURIs), the frame locations and the bulk data locations, and a hash of the dataset bytes.
/// </summary>
internal sealed class InstanceIngestor(StorageOptions options)
{
    private static readonly DicomTag[] PixelDataTags = [DicomTags.PixelData, DicomTags.FloatPixelData, DicomTags.DoubleFloatPixelData];

    /// <summary>Prepares a staged file; throws <see cref="IngestFailure"/> when it cannot be stored.</summary>
    public async Task<PreparedInstance> PrepareAsync(string path, string? requiredStudyInstanceUid, CancellationToken cancellationToken)
    {
        var file = Open(path);
        var dataset = file.Dataset;
        var sopClass = Uid(dataset, DicomTags.SOPClassUID);
        var sopInstance = Uid(dataset, DicomTags.SOPInstanceUID);
        var study = Uid(dataset, DicomTags.StudyInstanceUID);
        var series = Uid(dataset, DicomTags.SeriesInstanceUID);
        IngestFailure Fail(ushort code, string message) => new(code, message, sopClass, sopInstance);

        foreach (var (tag, value) in new[] { (DicomTags.SOPClassUID, sopClass), (DicomTags.SOPInstanceUID, sopInstance),
                     (DicomTags.StudyInstanceUID, study), (DicomTags.SeriesInstanceUID, series) })
        {
            var keyword = DicomDictionary.GetKeyword(tag);
            if (value is null) throw Fail(StowStatus.DataSetDoesNotMatchSopClass, $"The instance has no {keyword} {tag}, which is required.");
            if (DicomUid.Validate(value) is { } problem)
                throw Fail(StowStatus.DataSetDoesNotMatchSopClass, $"{keyword} {tag} '{value}' is not a valid UID: {problem}.");
        }
        if (requiredStudyInstanceUid is not null && !string.Equals(study, requiredStudyInstanceUid, StringComparison.Ordinal))
            throw Fail(StowStatus.DataSetDoesNotMatchSopClass,
                $"The instance's Study Instance UID {study} does not match the study {requiredStudyInstanceUid} of the request URL.");
        if (DicomUidRegistry.TryGet(sopClass!, out var classInfo) && !IsStorageClass(classInfo))
            throw Fail(StowStatus.SopClassNotSupported, $"SOP Class UID {sopClass} is the {classInfo.Type} '{classInfo.Name}', not a storage SOP class.");

        // Files without a preamble or file meta information are rewritten as proper Part 10 files (same transfer syntax).
        if (!file.HadPreamble || file.FileMetaInfo.GetString(DicomTags.TransferSyntaxUID) is null)
        {
            if (!file.TransferSyntax.CanWrite)
                throw Fail(StowStatus.TransferSyntaxNotSupported, $"The file has no file meta information and its pixel data ({file.TransferSyntax.Name}) cannot be re-encoded.");
            var normalized = path + ".part10";
            file.Save(normalized, file.TransferSyntax);
            file = Open(normalized);
            dataset = file.Dataset;
            path = normalized;
        }

        var syntax = file.TransferSyntax;
        var size = new FileInfo(path).Length;
        var attributes = ExtractAttributes(dataset);

        // Bulk values (Pixel Data always, other binary values above the inline limit) become BulkDataURIs.
        var bulkItems = FindBulkItems(dataset);
        var bulkPaths = bulkItems.ToDictionary(b => (object)b.Item, b => b.Path, ReferenceEqualityComparer.Instance);
        byte[] metadata;
        try
        {
            metadata = DicomJsonWriter.SerializeToUtf8Bytes(dataset, new DicomJsonOptions
            {
                InlineBinary = true,
                InlineBinaryThreshold = 0,
                BulkDataUriResolver = (_, item) => bulkPaths.TryGetValue(item, out var p) ? "bulkdata/" + p : null,
            });
        }
        catch (Exception ex) when (ex is DicomDataException or InvalidOperationException or ArgumentException)
        {
            throw Fail(StowStatus.CannotUnderstand, "The dataset cannot be converted to DICOM JSON: " + ex.Message);
        }

        var locations = LocateBulkData(path, syntax, bulkItems);
        var bulkEntries = bulkItems.Select(b => new BulkDataEntry(b.Path, b.Item is DicomFragmentSequence, locations.GetValueOrDefault(b.Path))).ToList();

        ushort? warning = null;
        string? warningMessage = null;
        var frames = FrameIndex.Empty;
        if (dataset.GetItem(DicomTags.PixelData) is { } pixelItem)
        {
            try
            {
                frames = BuildFrameIndex(dataset, syntax, locations.GetValueOrDefault(DicomTags.PixelData.ToJsonKey()), pixelItem);
            }
            catch (DicomDataException ex)
            {
                warning = StowStatus.DataSetDoesNotMatchSopClassWarning;
                warningMessage = "Stored, but its frames cannot be served: " + ex.Message;
            }
        }

        var hash = await HashDatasetAsync(path, cancellationToken).ConfigureAwait(false);
        var indexed = new IndexedInstance(new InstanceKey(study!, series!, sopInstance!), sopClass!, syntax.Uid, size, frames.FrameCount, hash,
            attributes, metadata, frames.Serialize(), BulkDataIndex.Serialize(bulkEntries));
        return new PreparedInstance(indexed, path, warning, warningMessage);
    }

    /// <summary>Parses with large values left in the file; a deflated dataset (read into memory) may inflate to at most the instance size limit.</summary>
    private DicomFile Open(string path)
    {
        try
        {
            return DicomFile.Open(path, new DicomReadOptions { MaxInflatedBytes = Math.Max(1 << 20, options.MaxInstanceBytes) });
        }
        catch (DicomFormatException ex) when (ex.Tag == DicomTags.TransferSyntaxUID && ex.Reason.StartsWith("unknown transfer syntax", StringComparison.Ordinal))
        {
            throw new IngestFailure(StowStatus.TransferSyntaxNotSupported, "The transfer syntax is not supported: " + ex.Reason + ".");
        }
        catch (Exception ex) when (ex is DicomFormatException or DicomDataException or EndOfStreamException or InvalidDataException)
        {
            throw new IngestFailure(StowStatus.CannotUnderstand, "The part is not a readable DICOM file: " + ex.Message);
        }
    }

    private static string? Uid(DicomDataset dataset, DicomTag tag)
    {
        try
        {
            var value = dataset.GetString(tag)?.Trim('\0', ' ');
            return string.IsNullOrEmpty(value) ? null : value;
        }
        catch (Exception ex) when (ex is DicomDataException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    private static bool IsStorageClass(DicomUidInfo info) =>
        info.Type == DicomUidType.SopClass &&
        (info.Uid.StartsWith("1.2.840.10008.5.1.4.1.1.", StringComparison.Ordinal) || info.Name.Contains("Storage", StringComparison.OrdinalIgnoreCase));

    private static Dictionary<DicomTag, string?> ExtractAttributes(DicomDataset dataset)
    {
        var result = new Dictionary<DicomTag, string?>();
        foreach (var a in QueryAttributes.All)
        {
            if (a.IsComputed) continue;
            try
            {
                result[a.Tag] = dataset.GetString(a.Tag)?.Trim();
            }
            catch (Exception ex) when (ex is DicomDataException or InvalidOperationException or ArgumentException)
            {
                result[a.Tag] = null; // an undecodable value is not indexed; the metadata keeps what can be kept
            }
        }
        return result;
    }

    // ------------------------------------------------------------------ bulk data

    private sealed record BulkItem(string Path, DicomItem Item);

    private static bool IsBinary(DicomVR vr) => vr is DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.UN or DicomVR.None;

    private List<BulkItem> FindBulkItems(DicomDataset dataset)
    {
        var result = new List<BulkItem>();
        Walk(dataset, "", topLevel: true, (path, item, topLevel) =>
        {
            var bulk = item switch
            {
                DicomFragmentSequence f => f.Fragments.Count > 0,
                DicomElement e when IsBinary(e.VR) && e.Length > 0 =>
                    (topLevel && PixelDataTags.Contains(e.Tag)) || e.Length > options.MetadataInlineBinaryLimit,
                _ => false,
            };
            if (bulk) result.Add(new BulkItem(path, item));
        });
        return result;
    }

    /// <summary>Visits every element and fragment sequence with its path (<c>TAG</c> or <c>TAG/item/TAG…</c>).</summary>
    private static void Walk(DicomDataset dataset, string prefix, bool topLevel, Action<string, DicomItem, bool> visit)
    {
        foreach (var item in dataset)
        {
            var path = prefix + item.Tag.ToJsonKey();
            if (item is DicomSequence sequence)
            {
                for (var i = 0; i < sequence.Items.Count; i++)
                    Walk(sequence.Items[i], path + "/" + i.ToString(CultureInfo.InvariantCulture) + "/", topLevel: false, visit);
            }
            else visit(path, item, topLevel);
        }
    }

    private static ByteRange[]? RangesOf(DicomItem item) => item switch
    {
        DicomElement { Value: FileByteSource f } => [new ByteRange(f.Offset, f.Length)],
        DicomFragmentSequence fragments when fragments.Fragments.All(f => f is FileByteSource || f.Length == 0) =>
            fragments.Fragments.Where(f => f.Length > 0).Select(f => { var s = (FileByteSource)f; return new ByteRange(s.Offset, s.Length); }).ToArray(),
        _ => null,
    };

    /// <summary>
    /// File ranges of each bulk value by path. Values the first (lazy) read kept in memory are located by a second read
    /// that leaves every value in the file; values that are not stored verbatim (deflated or byte-swapped) get none.
    /// </summary>
    private static Dictionary<string, ByteRange[]> LocateBulkData(string path, DicomTransferSyntax syntax, List<BulkItem> items)
    {
        var result = new Dictionary<string, ByteRange[]>(StringComparer.Ordinal);
        var missing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var b in items)
        {
            if (RangesOf(b.Item) is { } ranges) result[b.Path] = ranges;
            else missing.Add(b.Path);
        }
        if (missing.Count == 0 || syntax.IsDeflated) return result;
        var everything = DicomFile.Open(path, new DicomReadOptions { LazyValueThreshold = 1 });
        Walk(everything.Dataset, "", topLevel: true, (p, item, _) =>
        {
            if (missing.Contains(p) && RangesOf(item) is { } ranges) result[p] = ranges;
        });
        return result;
    }

    // ------------------------------------------------------------------ frames

    private static FrameIndex BuildFrameIndex(DicomDataset dataset, DicomTransferSyntax syntax, ByteRange[]? pixelRanges, DicomItem pixelItem)
    {
        var pixel = DicomPixelData.Create(dataset, syntax);
        var locations = pixel.FrameLocations;
        var verbatim = pixelRanges is not null && !syntax.IsDeflated && !syntax.IsBigEndian;
        if (pixelItem is DicomElement)
        {
            if (!verbatim || pixelRanges!.Length != 1 || locations.Any(l => l.BitOffset != 0))
                return new FrameIndex
                {
                    Mode = FrameIndexMode.Parse,
                    TransferSyntaxUid = syntax.IsDeflated || syntax.IsBigEndian ? DicomTransferSyntax.ExplicitVRLittleEndian.Uid : syntax.Uid,
                    FrameCount = pixel.FrameCount,
                };
            var start = pixelRanges[0].Offset;
            var frameLength = pixel.FrameLength;
            return new FrameIndex
            {
                Mode = FrameIndexMode.Ranges,
                TransferSyntaxUid = syntax.Uid,
                FrameCount = pixel.FrameCount,
                Frames = locations.Select(l => new[] { new ByteRange(start + l.Offset, Math.Min(frameLength, l.Length)) }).ToArray(),
            };
        }

        var fragments = ((DicomFragmentSequence)pixelItem).Fragments;
        if (!verbatim)
            return new FrameIndex { Mode = FrameIndexMode.Parse, TransferSyntaxUid = syntax.Uid, FrameCount = pixel.FrameCount };
        // Ranges hold the non-empty fragments in order; map fragment numbers to them.
        var rangeOf = new int[fragments.Count];
        for (int k = 0, r = 0; k < fragments.Count; k++) rangeOf[k] = fragments[k].Length > 0 ? r++ : -1;
        var frames = new ByteRange[locations.Count][];
        for (var f = 0; f < locations.Count; f++)
        {
            var l = locations[f];
            frames[f] = Enumerable.Range(l.FirstFragment, l.FragmentCount).Where(k => rangeOf[k] >= 0).Select(k => pixelRanges![rangeOf[k]]).ToArray();
        }
        return new FrameIndex { Mode = FrameIndexMode.Ranges, TransferSyntaxUid = syntax.Uid, FrameCount = pixel.FrameCount, Frames = frames };
    }

    // ------------------------------------------------------------------ content hash

    /// <summary>SHA-256 of the dataset bytes: everything after the file meta information (which senders rewrite freely).</summary>
    internal static async Task<byte[]> HashDatasetAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        stream.Position = DatasetOffset(stream);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(stream.Length - stream.Position, 4096, 1 << 20));
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0) hash.AppendData(buffer, 0, n);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return hash.GetHashAndReset();
    }

    /// <summary>Where the dataset starts: after the preamble, DICM and the group 0002 elements (0 when the file has none).</summary>
    internal static long DatasetOffset(Stream stream)
    {
        Span<byte> head = stackalloc byte[132];
        stream.Position = 0;
        var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        long position;
        if (n >= 132 && head.Slice(128, 4).SequenceEqual("DICM"u8)) position = 132;
        else if (n >= 4 && head[..4].SequenceEqual("DICM"u8)) position = 4;
        else if (n >= 6 && head[0] == 0x02 && head[1] == 0x00) position = 0;
        else return 0;
        Span<byte> header = stackalloc byte[12];
        while (true)
        {
            stream.Position = position;
            var read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (read < 8 || BinaryPrimitives.ReadUInt16LittleEndian(header) != 0x0002) return position;
            if (!DicomVRInfo.TryParse(header.Slice(4, 2), out var vr)) return position;
            if (vr.HasLongLength())
            {
                if (read < 12) return position;
                var length = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
                if (length == uint.MaxValue) return 0;
                position += 12 + length;
            }
            else position += 8 + BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
        }
    }
}
