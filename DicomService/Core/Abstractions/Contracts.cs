using FedNano.Dicom;

namespace FedNano.DicomService.Core;

// The contract between the HTTP host and the DICOMweb logic. The host streams request bodies to
// staging files, calls these services, and turns their results and exceptions into HTTP.

/// <summary>The three UIDs that locate an instance.</summary>
/// <param name="StudyInstanceUid">Study Instance UID (0020,000D).</param>
/// <param name="SeriesInstanceUid">Series Instance UID (0020,000E).</param>
/// <param name="SopInstanceUid">SOP Instance UID (0008,0018).</param>
public sealed record InstanceKey(string StudyInstanceUid, string SeriesInstanceUid, string SopInstanceUid);

/// <summary>QIDO/WADO resource level.</summary>
public enum ResourceLevel
{
    /// <summary>Study level.</summary>
    Study,
    /// <summary>Series level.</summary>
    Series,
    /// <summary>Instance level.</summary>
    Instance,
}

/// <summary>One part of a STOW-RS request, already streamed by the host to a staging file that the store service takes over.</summary>
/// <param name="FilePath">Staging file (under the data directory's staging folder); the service moves or deletes it.</param>
/// <param name="ContentType">The part's Content-Type, if it had one.</param>
public sealed record StagedPart(string FilePath, string? ContentType);

/// <summary>Outcome for one instance of a STOW-RS request (PS3.18 §10.5.3).</summary>
/// <param name="SopClassUid">SOP Class UID when it could be read.</param>
/// <param name="SopInstanceUid">SOP Instance UID when it could be read.</param>
/// <param name="Key">Where it was stored (null on failure).</param>
/// <param name="FailureReason">DICOM failure code (0xA700 out of resources, 0xA900 mismatch, 0xC000 cannot understand, 0xC122 transfer syntax not supported, 0x0110 processing failure, 0x0122 SOP class not supported, 0x0111 duplicate with different content…); null when stored.</param>
/// <param name="WarningReason">DICOM warning code (0xB000 coercion, 0xB006 elements discarded, 0xB007 mismatch); null when none.</param>
/// <param name="Message">A specific human-readable reason (for failures and warnings).</param>
public sealed record StowInstanceResult(string? SopClassUid, string? SopInstanceUid, InstanceKey? Key, ushort? FailureReason, ushort? WarningReason, string? Message);

/// <summary>Outcome of a whole STOW-RS request.</summary>
/// <param name="Instances">Per-part outcomes, in request order.</param>
/// <param name="StudyInstanceUid">The study of the request URL, when given.</param>
public sealed record StowResult(IReadOnlyList<StowInstanceResult> Instances, string? StudyInstanceUid);

/// <summary>STOW-RS: validates and stores instances atomically (two-phase: creating → created).</summary>
public interface IStoreService
{
    /// <summary>Stores each staged part; one bad part never affects the others. <paramref name="requiredStudyInstanceUid"/> comes from <c>POST /studies/{study}</c>.</summary>
    Task<StowResult> StoreAsync(IReadOnlyList<StagedPart> parts, string? requiredStudyInstanceUid, CancellationToken cancellationToken);
}

/// <summary>A QIDO-RS request: level, optional parent UIDs from the route, and the raw query parameters.</summary>
/// <param name="Level">What is searched for.</param>
/// <param name="StudyInstanceUid">Study from the route (e.g. /studies/{study}/series), or null.</param>
/// <param name="SeriesInstanceUid">Series from the route, or null.</param>
/// <param name="Parameters">Query string pairs in order (attribute=value, includefield, fuzzymatching, limit, offset); repeated keys allowed.</param>
public sealed record QueryRequest(ResourceLevel Level, string? StudyInstanceUid, string? SeriesInstanceUid, IReadOnlyList<KeyValuePair<string, string>> Parameters);

/// <summary>QIDO-RS matches.</summary>
/// <param name="Matches">Result datasets with the default and requested attributes, in stable order.</param>
/// <param name="HasMore">More matches remain beyond limit/offset (the host sends <c>Warning: 299</c>).</param>
/// <param name="Warnings">Other warnings for the client (e.g. unsupported attribute ignored).</param>
public sealed record QueryResult(IReadOnlyList<DicomDataset> Matches, bool HasMore, IReadOnlyList<string> Warnings);

/// <summary>QIDO-RS search.</summary>
public interface IQueryService
{
    /// <summary>Searches; throws <see cref="InvalidRequestException"/> for bad parameters.</summary>
    Task<QueryResult> SearchAsync(QueryRequest request, CancellationToken cancellationToken);
}

/// <summary>A stored instance as the index knows it.</summary>
/// <param name="Key">Its UIDs.</param>
/// <param name="SopClassUid">SOP Class UID.</param>
/// <param name="TransferSyntaxUid">Transfer syntax it is stored in.</param>
/// <param name="SizeBytes">Size of the stored Part 10 file.</param>
/// <param name="FrameCount">Number of frames (0 without pixel data).</param>
/// <param name="Watermark">Monotonic version of this stored copy.</param>
public sealed record StoredInstance(InstanceKey Key, string SopClassUid, string TransferSyntaxUid, long SizeBytes, int FrameCount, long Watermark);

/// <summary>One frame's bytes, located from the offsets computed at ingest.</summary>
/// <param name="Content">A stream over the frame (native bytes, or the compressed frame for encapsulated data).</param>
/// <param name="Length">Frame length in bytes.</param>
/// <param name="TransferSyntaxUid">The syntax the bytes are in.</param>
public sealed record FrameContent(Stream Content, long Length, string TransferSyntaxUid);

/// <summary>WADO-RS retrieval.</summary>
public interface IRetrieveService
{
    /// <summary>Instances of a study, series or single instance (created ones only), in stable order; throws <see cref="ResourceNotFoundException"/>.</summary>
    Task<IReadOnlyList<StoredInstance>> FindAsync(string studyInstanceUid, string? seriesInstanceUid, string? sopInstanceUid, CancellationToken cancellationToken);

    /// <summary>Opens the stored Part 10 file.</summary>
    Stream OpenInstance(StoredInstance instance);

    /// <summary>
    /// The metadata computed at ingest (no re-parse of the instance). Pixel Data and large binary values are held as
    /// <see cref="BulkDataUriByteSource"/> with a URI relative to the instance URL (e.g. <c>bulkdata/7FE00010</c>);
    /// the host makes them absolute when it writes DICOM JSON.
    /// </summary>
    Task<DicomDataset> GetMetadataAsync(StoredInstance instance, CancellationToken cancellationToken);

    /// <summary>Frames by 1-based number, located with the offsets computed at ingest (no re-parse); throws <see cref="ResourceNotFoundException"/> for a frame that does not exist.</summary>
    Task<IReadOnlyList<FrameContent>> GetFramesAsync(StoredInstance instance, IReadOnlyList<int> frameNumbers, CancellationToken cancellationToken);
}

/// <summary>Deletes studies, series or instances (index first, then files).</summary>
public interface IDeleteService
{
    /// <summary>Deletes and returns how many instances were removed; throws <see cref="ResourceNotFoundException"/> when nothing matches.</summary>
    Task<int> DeleteAsync(string studyInstanceUid, string? seriesInstanceUid, string? sopInstanceUid, CancellationToken cancellationToken);
}

/// <summary>Kinds of change feed events.</summary>
public enum ChangeFeedAction
{
    /// <summary>An instance was stored.</summary>
    Create,
    /// <summary>An instance was deleted.</summary>
    Delete,
}

/// <summary>One change feed event.</summary>
/// <param name="Sequence">Monotonic, gap-free sequence number (starts at 1).</param>
/// <param name="Timestamp">When it happened (UTC).</param>
/// <param name="Action">Create or delete.</param>
/// <param name="Key">The instance.</param>
/// <param name="SopClassUid">Its SOP Class UID (lets consumers spot raw projection data without fetching).</param>
public sealed record ChangeFeedEntry(long Sequence, DateTimeOffset Timestamp, ChangeFeedAction Action, InstanceKey Key, string SopClassUid);

/// <summary>Append-only change log that downstream consumers (the PACS bridge, reconstruction) follow.</summary>
public interface IChangeFeedService
{
    /// <summary>Events with Sequence &gt; <paramref name="offset"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ChangeFeedEntry>> ReadAsync(long offset, int limit, CancellationToken cancellationToken);

    /// <summary>The newest sequence number (0 when empty).</summary>
    Task<long> GetLatestSequenceAsync(CancellationToken cancellationToken);
}

/// <summary>A request the service cannot act on (bad parameter, bad UID…): HTTP 400.</summary>
public sealed class InvalidRequestException(string message) : Exception(message);

/// <summary>A study, series, instance or frame that does not exist: HTTP 404.</summary>
public sealed class ResourceNotFoundException(string message) : Exception(message);

/// <summary>No representation matches what the client accepts (e.g. a transfer syntax we cannot produce): HTTP 406.</summary>
public sealed class NotAcceptableException(string message) : Exception(message);
