using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FedNano.DicomService.Federation;

/// <summary>Closes rounds at their deadline even when no site calls (every site may have dropped out).</summary>
public sealed class FederationTicker(FederationCoordinator coordinator, ILogger<FederationTicker> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                coordinator.Existing?.Tick();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                logger.LogError(e, "Federation tick failed");
            }
        }
    }
}
