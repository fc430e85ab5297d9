using FedNano.Dicom;
using FedNano.DicomService.Core.Infrastructure;
using FedNano.DicomService.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Core.Features.Store;

/// <summary>
/// STOW-RS. Each staged part is parsed and validated, then stored in two phases: an index row in state 'creating',
/// the file made durable under its final name (temporary file, fsync, atomic rename), then in one transaction the row
/// flipped to 'created' with its metadata, frame offsets and a change feed event. A crash at any point leaves the
/// instance fully present or absent (startup recovery removes what a crash left behind). Parts with the same SOP
/// Instance UID are serialized in this process; the index's unique constraint guards across processes.
/// </summary>
public sealed class StoreService : IStoreService
{
    private readonly IIndexStore _index;
    private readonly IInstanceStore _instances;
    private readonly StorageOptions _options;
    private readonly InstanceIngestor _ingestor;
    private readonly KeyedLock _locks = new();
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    public StoreService(IIndexStore index, IInstanceStore instances, IOptions<StorageOptions> options, ILogger<StoreService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _index = index;
        _instances = instances;
        _options = options.Value;
        _ingestor = new InstanceIngestor(_options);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<StowResult> StoreAsync(IReadOnlyList<StagedPart> parts, string? requiredStudyInstanceUid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var results = new StowInstanceResult[parts.Count];
        try
        {
            if (requiredStudyInstanceUid is not null && DicomUid.Validate(requiredStudyInstanceUid) is { } problem)
                throw new InvalidRequestException($"The study UID '{requiredStudyInstanceUid}' in the request URL is not valid: {problem}.");
            await Parallel.ForEachAsync(Enumerable.Range(0, parts.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.StoreParallelism), CancellationToken = cancellationToken },
                async (i, token) => results[i] = await StoreOneAsync(parts[i], requiredStudyInstanceUid, token).ConfigureAwait(false)).ConfigureAwait(false);
        }
        finally
        {
            // Whatever happened, no staged file outlives the request (stored ones were moved away).
            foreach (var part in parts) TryDelete(part.FilePath);
        }
        return new StowResult(results, requiredStudyInstanceUid);
    }

    private async Task<StowInstanceResult> StoreOneAsync(StagedPart part, string? requiredStudy, CancellationToken cancellationToken)
    {
        string? sopClass = null, sopInstance = null;
        var normalizedCopy = part.FilePath + ".part10";
        try
        {
            if (part.ContentType is { } contentType && !IsDicomMediaType(contentType))
                return Failure(StowStatus.CannotUnderstand, $"The part has Content-Type '{contentType}'; only application/dicom parts can be stored.");
            var size = new FileInfo(part.FilePath).Length;
            if (size > _options.MaxInstanceBytes)
                return Failure(StowStatus.OutOfResources, $"The instance is {size} bytes, more than the {_options.MaxInstanceBytes} bytes this server accepts.");
            if (_options.MinimumFreeDiskBytes > 0 && FreeSpace() is { } free && free < _options.MinimumFreeDiskBytes)
                return Failure(StowStatus.OutOfResources, $"The server's disk has only {free} bytes free; no instances are accepted below {_options.MinimumFreeDiskBytes}.");

            PreparedInstance prepared;
            try
            {
                prepared = await _ingestor.PrepareAsync(part.FilePath, requiredStudy, cancellationToken).ConfigureAwait(false);
            }
            catch (IngestFailure f)
            {
                sopClass = f.SopClassUid;
                sopInstance = f.SopInstanceUid;
                return Failure(f.Code, f.Message);
            }
            var instance = prepared.Instance;
            sopClass = instance.SopClassUid;
            sopInstance = instance.Key.SopInstanceUid;

            using (await _locks.AcquireAsync(sopInstance, cancellationToken).ConfigureAwait(false))
            {
                var begin = await _index.BeginCreateAsync(instance, cancellationToken).ConfigureAwait(false);
                switch (begin.Outcome)
                {
                    case BeginCreateOutcome.AlreadyExists when begin.Existing!.ContentHash.AsSpan().SequenceEqual(instance.ContentHash):
                        var existing = begin.Existing.Locator;
                        _logger.LogDebug("Instance {Sop} was sent again with identical content; nothing changed.", sopInstance);
                        return new StowInstanceResult(sopClass, sopInstance,
                            new InstanceKey(existing.StudyInstanceUid, existing.SeriesInstanceUid, existing.SopInstanceUid), null, null, null);
                    case BeginCreateOutcome.AlreadyExists:
                        return Failure(StowStatus.DuplicateSopInstance,
                            $"An instance with SOP Instance UID {sopInstance} is already stored (study {begin.Existing!.Locator.StudyInstanceUid}, series " +
                            $"{begin.Existing.Locator.SeriesInstanceUid}) and its content differs from this one; the stored instance was kept. " +
                            "Delete it first, or give the new object its own SOP Instance UID.");
                    case BeginCreateOutcome.InProgress:
                        return Failure(StowStatus.ProcessingFailure, $"Instance {sopInstance} is being stored by another request; try again.");
                    case BeginCreateOutcome.SeriesInOtherStudy:
                        return Failure(StowStatus.DataSetDoesNotMatchSopClass,
                            $"Series {instance.Key.SeriesInstanceUid} already belongs to study {begin.ConflictingStudyInstanceUid}, not {instance.Key.StudyInstanceUid}.");
                }

                // Phase two must not be abandoned half-way because the client went away.
                var locator = new InstanceLocator(instance.Key.StudyInstanceUid, instance.Key.SeriesInstanceUid, instance.Key.SopInstanceUid, begin.Watermark);
                try
                {
                    await _instances.PutAsync(locator, prepared.FilePath, CancellationToken.None).ConfigureAwait(false);
                    await _index.CompleteCreateAsync(begin.Watermark, instance, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    await UndoAsync(locator).ConfigureAwait(false);
                    if (ex is IndexConflictException) return Failure(StowStatus.DataSetDoesNotMatchSopClass, ex.Message);
                    throw;
                }
            }
            return new StowInstanceResult(sopClass, sopInstance, instance.Key, null, prepared.WarningReason, prepared.WarningMessage);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (IOException ex) when (IsDiskFull(ex))
        {
            _logger.LogError(ex, "Out of disk space while storing {Sop}.", sopInstance);
            return Failure(StowStatus.OutOfResources, "The server ran out of disk space while storing the instance.");
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Storing instance {Sop} failed.", sopInstance);
            return Failure(StowStatus.ProcessingFailure, "The instance could not be stored: " + ex.Message);
        }
        finally
        {
            TryDelete(normalizedCopy);
        }

        StowInstanceResult Failure(ushort code, string message)
        {
            _logger.LogInformation("STOW part rejected (0x{Code:X4}): {Message}", code, message);
            return new StowInstanceResult(sopClass, sopInstance, null, code, null, message);
        }
    }

    private async Task UndoAsync(InstanceLocator locator)
    {
        try
        {
            await _instances.DeleteAsync(locator, CancellationToken.None).ConfigureAwait(false);
            await _index.AbortCreateAsync(locator.Watermark, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Recovery at the next start removes the 'creating' row and the file.
            _logger.LogError(ex, "Could not undo the partial store of {Sop}; startup recovery will.", locator.SopInstanceUid);
        }
    }

    /// <summary>True for <c>application/dicom</c> with any parameters (case-insensitive).</summary>
    internal static bool IsDicomMediaType(string contentType)
    {
        var media = contentType.Split(';', 2)[0].Trim();
        return media.Length == 0 || string.Equals(media, "application/dicom", StringComparison.OrdinalIgnoreCase);
    }

    private long? FreeSpace()
    {
        try
        {
            return new DriveInfo(_options.DataPath).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsDiskFull(IOException ex) => (ex.HResult & 0xFFFF) is 28 /* ENOSPC */ or 0x70 /* ERROR_DISK_FULL */ or 0x27 /* ERROR_HANDLE_DISK_FULL */;

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogDebug(ex, "Could not delete staged file {Path}.", path);
        }
    }
}
