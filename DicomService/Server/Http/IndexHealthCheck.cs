using FedNano.DicomService.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FedNano.DicomService.Http;

/// <summary>Healthy when the index answers a query (the change feed head); unhealthy with the reason otherwise.</summary>
public sealed class IndexHealthCheck(IChangeFeedService changeFeed) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var sequence = await changeFeed.GetLatestSequenceAsync(cancellationToken);
            return HealthCheckResult.Healthy("The index is reachable.", new Dictionary<string, object> { ["changeFeedSequence"] = sequence });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The index is not reachable: " + e.GetType().Name);
        }
    }
}
