namespace FedNano.DicomService.Core;

/// <summary>The bytes behind a BulkDataURI of the metadata.</summary>
/// <param name="Content">A stream over the value (for encapsulated Pixel Data: its fragments concatenated).</param>
/// <param name="Length">Length in bytes.</param>
/// <param name="TransferSyntaxUid">For encapsulated Pixel Data, the transfer syntax of the compressed bytes; otherwise null (little-endian value bytes).</param>
public sealed record BulkDataContent(Stream Content, long Length, string? TransferSyntaxUid);

/// <summary>WADO-RS <c>/bulkdata</c>: the values the metadata left out as <c>bulkdata/{path}</c> URIs, read from the offsets computed at ingest.</summary>
public interface IBulkDataService
{
    /// <summary>
    /// The value at <paramref name="path"/>: what follows <c>bulkdata/</c> in the metadata's BulkDataURI, e.g.
    /// <c>7FE00010</c> or <c>00540016/0/00181072</c> (tag, item number, tag …). Throws <see cref="ResourceNotFoundException"/>
    /// when the instance has no such bulk value.
    /// </summary>
    Task<BulkDataContent> GetBulkDataAsync(StoredInstance instance, string path, CancellationToken cancellationToken);
}
