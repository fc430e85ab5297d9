using FedNano.DicomService.Core.Features.ChangeFeed;
using FedNano.DicomService.Core.Features.Delete;
using FedNano.DicomService.Core.Features.Query;
using FedNano.DicomService.Core.Features.Retrieve;
using FedNano.DicomService.Core.Features.Store;
using FedNano.DicomService.Core.Storage;
using FedNano.DicomService.Core.Storage.FileSystem;
using FedNano.DicomService.Core.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FedNano.DicomService.Core;

/// <summary>Registration of the DICOMweb logic and its embedded storage.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers, as singletons, <see cref="IStoreService"/>, <see cref="IQueryService"/>, <see cref="IRetrieveService"/>,
    /// <see cref="IBulkDataService"/>, <see cref="IDeleteService"/>, <see cref="IChangeFeedService"/>, the stores
    /// (<see cref="IIndexStore"/>: SQLite, <see cref="IInstanceStore"/>: file system; register others first to replace them)
    /// and <see cref="IStartupRecovery"/>, whose <see cref="IStartupRecovery.InitializeAsync"/> the host must await once at
    /// startup before serving requests. <paramref name="configure"/> sets <see cref="StorageOptions"/> (e.g. bound from the
    /// configuration section <see cref="StorageOptions.SectionName"/>).
    /// </summary>
    public static IServiceCollection AddDicomServiceCore(this IServiceCollection services, Action<StorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<StorageOptions>();
        if (configure is not null) services.Configure(configure);

        services.TryAddSingleton<IIndexStore, SqliteIndexStore>();
        services.TryAddSingleton<IInstanceStore, FileSystemInstanceStore>();

        services.TryAddSingleton<IStoreService, StoreService>();
        services.TryAddSingleton<IQueryService, QueryService>();
        services.TryAddSingleton<RetrieveService>();
        services.TryAddSingleton<IRetrieveService>(sp => sp.GetRequiredService<RetrieveService>());
        services.TryAddSingleton<IBulkDataService>(sp => sp.GetRequiredService<RetrieveService>());
        services.TryAddSingleton<IDeleteService, DeleteService>();
        services.TryAddSingleton<IChangeFeedService, ChangeFeedService>();

        services.TryAddSingleton<DicomStoreInitializer>();
        services.TryAddSingleton<IStartupRecovery>(sp => sp.GetRequiredService<DicomStoreInitializer>());
        return services;
    }
}
