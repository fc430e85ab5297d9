using FedNano.DicomService.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Core;

/// <summary>What startup recovery found and removed.</summary>
/// <param name="IncompleteInstancesRemoved">Index rows left in state 'creating' by a crash (their files removed too).</param>
/// <param name="InstancesWithoutFileRemoved">Created rows whose file had disappeared (removed with 'delete' change feed events).</param>
/// <param name="InstancesKept">Created instances whose file is present.</param>
/// <param name="StagingEntriesRemoved">Files and folders left in the staging directory.</param>
public sealed record RecoveryReport(int IncompleteInstancesRemoved, int InstancesWithoutFileRemoved, int InstancesKept, int StagingEntriesRemoved);

/// <summary>Prepares the storage before the service takes requests. The host calls it once at startup.</summary>
public interface IStartupRecovery
{
    /// <summary>Creates or migrates the index schema and the directories, then runs crash recovery.</summary>
    Task<RecoveryReport> InitializeAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Startup: creates the directories, creates or migrates the schema, and recovers from a crash so that every instance is
/// either fully present or absent: rows left 'creating' are removed with their files; files without a created row
/// (orphans of a crashed store or delete) and temporary files are removed; created rows whose file is missing are
/// removed; the staging directory is emptied. Assumes no other process uses the same data directory meanwhile.
/// </summary>
public sealed class DicomStoreInitializer : IStartupRecovery
{
    private readonly IIndexStore _index;
    private readonly IInstanceStore _instances;
    private readonly StorageOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the initializer.</summary>
    public DicomStoreInitializer(IIndexStore index, IInstanceStore instances, IOptions<StorageOptions> options, ILogger<DicomStoreInitializer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _index = index;
        _instances = instances;
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<RecoveryReport> InitializeAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(_options.DataPath);
        Directory.CreateDirectory(_options.InstancesPath);
        Directory.CreateDirectory(_options.StagingPath);
        await _index.InitializeAsync(cancellationToken).ConfigureAwait(false);

        // 1. Stores that never completed: drop the rows first (a crash here leaves orphan files for step 2 next time).
        var incomplete = await _index.RemoveIncompleteAsync(cancellationToken).ConfigureAwait(false);
        foreach (var locator in incomplete) await _instances.DeleteAsync(locator, cancellationToken).ConfigureAwait(false);

        // 2. Files the index does not know as created.
        var live = await _index.GetCreatedWatermarksAsync(cancellationToken).ConfigureAwait(false);
        var kept = await _instances.RemoveOrphansAsync(l => live.Contains(l.Watermark), cancellationToken).ConfigureAwait(false);

        // 3. Created rows whose file is gone (removed from outside): the index must not promise what it cannot serve.
        var missing = live.Where(w => !kept.Contains(w)).ToList();
        var missingRemoved = await _index.RemoveCreatedAsync(missing, cancellationToken).ConfigureAwait(false);
        if (missingRemoved > 0) _logger.LogWarning("Recovery removed {Count} index entries whose instance file was missing.", missingRemoved);

        // 4. Staging: parts of requests that were in flight.
        var staging = 0;
        foreach (var entry in new DirectoryInfo(_options.StagingPath).EnumerateFileSystemInfos())
        {
            try
            {
                if (entry is DirectoryInfo d) d.Delete(recursive: true);
                else entry.Delete();
                staging++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _logger.LogWarning(ex, "Could not remove staging entry {Path}.", entry.FullName);
            }
        }

        var report = new RecoveryReport(incomplete.Count, missingRemoved, kept.Count, staging);
        if (incomplete.Count > 0 || staging > 0)
            _logger.LogWarning("Recovery: removed {Incomplete} incomplete instances and {Staging} staging entries.", incomplete.Count, staging);
        _logger.LogInformation("Storage ready in {Path}: {Count} instances.", _options.DataPath, kept.Count);
        return report;
    }
}
