using FedNano.DicomService.Core.Features.Retrieve;
using FedNano.DicomService.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FedNano.DicomService.Core.Features.Delete;

/// <summary>
/// Deletes studies, series or instances: the index rows go and 'delete' change feed events are appended in one
/// transaction, then the files are removed. A crash between the two leaves orphan files that startup recovery removes.
/// </summary>
public sealed class DeleteService : IDeleteService
{
    private readonly IIndexStore _index;
    private readonly IInstanceStore _instances;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    public DeleteService(IIndexStore index, IInstanceStore instances, ILogger<DeleteService>? logger = null)
    {
        _index = index;
        _instances = instances;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<int> DeleteAsync(string studyInstanceUid, string? seriesInstanceUid, string? sopInstanceUid, CancellationToken cancellationToken)
    {
        RetrieveService.CheckUid(studyInstanceUid, "study");
        if (seriesInstanceUid is not null) RetrieveService.CheckUid(seriesInstanceUid, "series");
        if (sopInstanceUid is not null) RetrieveService.CheckUid(sopInstanceUid, "SOP instance");
        var removed = await _index.DeleteAsync(studyInstanceUid, seriesInstanceUid, sopInstanceUid, cancellationToken).ConfigureAwait(false);
        if (removed.Count == 0)
        {
            throw new ResourceNotFoundException(sopInstanceUid is not null
                ? $"Instance {sopInstanceUid} was not found in {(seriesInstanceUid is null ? "" : $"series {seriesInstanceUid} of ")}study {studyInstanceUid}."
                : seriesInstanceUid is not null
                    ? $"Series {seriesInstanceUid} was not found in study {studyInstanceUid}."
                    : $"Study {studyInstanceUid} was not found.");
        }
        foreach (var locator in removed)
        {
            try
            {
                await _instances.DeleteAsync(locator, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Could not delete the file of {Sop}; recovery will remove it at the next start.", locator.SopInstanceUid);
            }
        }
        _logger.LogInformation("Deleted {Count} instances (study {Study}, series {Series}, instance {Sop}).", removed.Count, studyInstanceUid,
            seriesInstanceUid ?? "*", sopInstanceUid ?? "*");
        return removed.Count;
    }
}
