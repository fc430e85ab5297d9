using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FedNano.DicomService.Jobs;

/// <summary>Registration of the reconstruction jobs.</summary>
public static class ReconstructionJobsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the job store, the runner, the worker and the raw-series watcher (both hosted services).
    /// <see cref="ReconstructionOptions"/> must be configured by the caller (e.g. bound from <see cref="ReconstructionOptions.SectionName"/>).
    /// </summary>
    public static IServiceCollection AddReconstructionJobs(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ReconstructionOptions>();
        services.AddSingleton<ReconstructionJobStore>();
        services.AddSingleton<ReconstructionRunner>();
        services.AddSingleton<ReconstructionWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ReconstructionWorker>());
        services.AddSingleton<RawSeriesWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<RawSeriesWatcher>());
        return services;
    }
}
