using FedNano.Dicom;

namespace FedNano.DicomService.Core.Storage;

/// <summary>Where one stored copy of an instance lives: its UIDs and the watermark (index row) of this copy.</summary>
/// <param name="StudyInstanceUid">Study Instance UID.</param>
/// <param name="SeriesInstanceUid">Series Instance UID.</param>
/// <param name="SopInstanceUid">SOP Instance UID.</param>
/// <param name="Watermark">The index's monotonic, never reused number for this copy (part of the file name).</param>
public sealed record InstanceLocator(string StudyInstanceUid, string SeriesInstanceUid, string SopInstanceUid, long Watermark)
{
    /// <summary>The locator of a stored instance.</summary>
    public static InstanceLocator From(StoredInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new(instance.Key.StudyInstanceUid, instance.Key.SeriesInstanceUid, instance.Key.SopInstanceUid, instance.Watermark);
    }
}

/// <summary>A byte range of a stored instance file.</summary>
/// <param name="Offset">Offset from the start of the file.</param>
/// <param name="Length">Number of bytes.</param>
public readonly record struct ByteRange(long Offset, long Length);

/// <summary>Everything the index keeps about one instance, computed once at ingest.</summary>
/// <param name="Key">Its UIDs.</param>
/// <param name="SopClassUid">SOP Class UID.</param>
/// <param name="TransferSyntaxUid">Transfer syntax of the stored file.</param>
/// <param name="SizeBytes">Size of the stored file.</param>
/// <param name="FrameCount">Number of frames (0 without usable pixel data).</param>
/// <param name="ContentHash">SHA-256 of the dataset bytes (everything after the file meta information); identifies identical re-sends.</param>
/// <param name="Attributes">Values of the queryable attributes (<see cref="Query.QueryAttributes"/>) as decoded text; absent or null when the instance has none.</param>
/// <param name="MetadataJson">DICOM JSON of the dataset with bulk values as relative BulkDataURIs (<c>bulkdata/…</c>).</param>
/// <param name="FrameIndex">Serialized frame locations (opaque to the index).</param>
/// <param name="BulkDataIndex">Serialized bulk data locations (opaque to the index).</param>
public sealed record IndexedInstance(
    InstanceKey Key,
    string SopClassUid,
    string TransferSyntaxUid,
    long SizeBytes,
    int FrameCount,
    byte[] ContentHash,
    IReadOnlyDictionary<DicomTag, string?> Attributes,
    byte[] MetadataJson,
    byte[] FrameIndex,
    byte[] BulkDataIndex);

/// <summary>How <see cref="IIndexStore.BeginCreateAsync"/> went.</summary>
public enum BeginCreateOutcome
{
    /// <summary>A row in state 'creating' was added; write the file, then complete or abort.</summary>
    Started,
    /// <summary>An instance with this SOP Instance UID is already stored (see <see cref="BeginCreateResult.Existing"/>).</summary>
    AlreadyExists,
    /// <summary>Another request is storing this SOP Instance UID right now.</summary>
    InProgress,
    /// <summary>The series already belongs to another study (see <see cref="BeginCreateResult.ConflictingStudyInstanceUid"/>).</summary>
    SeriesInOtherStudy,
}

/// <summary>An instance already in the index under the same SOP Instance UID.</summary>
/// <param name="Locator">Where it is.</param>
/// <param name="SopClassUid">Its SOP Class UID.</param>
/// <param name="ContentHash">Its content hash.</param>
public sealed record ExistingInstance(InstanceLocator Locator, string SopClassUid, byte[] ContentHash);

/// <summary>Result of phase one of a store.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Watermark">The new row's watermark when <see cref="BeginCreateOutcome.Started"/>.</param>
/// <param name="Existing">The stored instance when <see cref="BeginCreateOutcome.AlreadyExists"/>.</param>
/// <param name="ConflictingStudyInstanceUid">The series' study when <see cref="BeginCreateOutcome.SeriesInOtherStudy"/>.</param>
public sealed record BeginCreateResult(BeginCreateOutcome Outcome, long Watermark, ExistingInstance? Existing = null, string? ConflictingStudyInstanceUid = null);

/// <summary>Phase two of a store could not be completed because of a conflict in the index (the instance stays absent).</summary>
/// <param name="message">What conflicted.</param>
public sealed class IndexConflictException(string message) : Exception(message);

/// <summary>What the index holds for WADO-RS about one created instance.</summary>
/// <param name="MetadataJson">DICOM JSON of the dataset (bulk values as relative BulkDataURIs).</param>
/// <param name="FrameIndex">Serialized frame locations.</param>
/// <param name="BulkDataIndex">Serialized bulk data locations.</param>
public sealed record InstanceDataRecord(byte[] MetadataJson, byte[] FrameIndex, byte[] BulkDataIndex);
