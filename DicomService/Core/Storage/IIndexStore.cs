using FedNano.DicomService.Core.Query;

namespace FedNano.DicomService.Core.Storage;

/// <summary>
/// The index of stored instances: the QIDO-RS attributes, the two-phase store state (creating → created), the
/// ingest-time metadata and frame locations, and the change feed. The embedded default is SQLite
/// (<see cref="Sqlite.SqliteIndexStore"/>); a server database can replace it without touching the services.
/// </summary>
public interface IIndexStore
{
    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Phase one: in one transaction, checks for an instance with the same SOP Instance UID or a series of another study,
    /// and otherwise adds a row in state 'creating' (invisible to queries and retrieval).
    /// </summary>
    Task<BeginCreateResult> BeginCreateAsync(IndexedInstance instance, CancellationToken cancellationToken);

    /// <summary>
    /// Phase two, after the file is durable: in one transaction, flips the row to 'created', records study and series,
    /// metadata and frame locations, and appends a 'create' change feed event.
    /// </summary>
    /// <exception cref="IndexConflictException">The series meanwhile belongs to another study, or the row is gone.</exception>
    Task CompleteCreateAsync(long watermark, IndexedInstance instance, CancellationToken cancellationToken);

    /// <summary>Removes a row left in state 'creating' (the store failed before completing).</summary>
    Task AbortCreateAsync(long watermark, CancellationToken cancellationToken);

    /// <summary>Created instances of a study, series or single instance, ordered by series number, series UID, instance number and SOP Instance UID.</summary>
    Task<IReadOnlyList<StoredInstance>> FindInstancesAsync(string studyInstanceUid, string? seriesInstanceUid, string? sopInstanceUid, CancellationToken cancellationToken);

    /// <summary>The ingest-time data of a created instance, or null.</summary>
    Task<InstanceDataRecord?> GetInstanceDataAsync(long watermark, CancellationToken cancellationToken);

    /// <summary>The metadata JSON of several created instances (missing ones are left out).</summary>
    Task<IReadOnlyDictionary<long, byte[]>> GetMetadataAsync(IReadOnlyCollection<long> watermarks, CancellationToken cancellationToken);

    /// <summary>Runs a QIDO-RS query.</summary>
    Task<QueryPage> QueryAsync(QueryPlan plan, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction, removes the created instances of a study, series or single instance from the index and appends
    /// a 'delete' change feed event for each; returns what was removed (whose files the caller then deletes).
    /// </summary>
    Task<IReadOnlyList<InstanceLocator>> DeleteAsync(string studyInstanceUid, string? seriesInstanceUid, string? sopInstanceUid, CancellationToken cancellationToken);

    /// <summary>Change feed events with a sequence above <paramref name="offset"/>, oldest first.</summary>
    Task<IReadOnlyList<ChangeFeedEntry>> ReadChangeFeedAsync(long offset, int limit, CancellationToken cancellationToken);

    /// <summary>The newest change feed sequence (0 when empty).</summary>
    Task<long> GetLatestSequenceAsync(CancellationToken cancellationToken);

    /// <summary>Crash recovery: removes every row left in state 'creating' and returns them.</summary>
    Task<IReadOnlyList<InstanceLocator>> RemoveIncompleteAsync(CancellationToken cancellationToken);

    /// <summary>Crash recovery: the watermarks of all created instances.</summary>
    Task<IReadOnlySet<long>> GetCreatedWatermarksAsync(CancellationToken cancellationToken);

    /// <summary>Crash recovery: removes created instances whose files are gone, with 'delete' change feed events; returns how many.</summary>
    Task<int> RemoveCreatedAsync(IReadOnlyCollection<long> watermarks, CancellationToken cancellationToken);
}
