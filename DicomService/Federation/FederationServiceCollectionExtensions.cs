using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Federation;

/// <summary>Wires the federation coordinator into the host.</summary>
public static class FederationServiceCollectionExtensions
{
    /// <summary>Federation options, the site registry (under <paramref name="dataDirectory"/>), the model and gRPC with site authentication.</summary>
    public static IServiceCollection AddFederation(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services.AddOptions<FederationOptions>()
            .Bind(configuration.GetSection(FederationOptions.SectionName))
            .Validate(o => o.Device is "auto" or "cpu" or "cuda", "Federation:Device must be auto, cpu or cuda.")
            .Validate(o => o.MaxActivationElements >= 1 && o.MaxPendingStepsPerSite >= 1, "Federation:MaxActivationElements and MaxPendingStepsPerSite must be ≥ 1.")
            .Validate(o => o.Aggregator is "fisher" or "fedavg" or "fedprox", "Federation:Aggregator must be fisher, fedavg or fedprox.")
            .Validate(o => { try { o.Rounds.Validate(); o.Adapters.Validate(); return true; } catch (ArgumentException) { return false; } }, "Federation:Rounds or Federation:Adapters has a value out of range (see the option docs).")
            .ValidateOnStart();
        services.AddSingleton(sp => new SiteRegistry(RegistryPath(sp.GetRequiredService<IOptions<FederationOptions>>().Value, dataDirectory)));
        services.AddSingleton<FederationModel>();
        services.AddSingleton(new FederationPaths(dataDirectory));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FederationCoordinator>();
        services.AddSingleton<SiteAuthentication>(); // one instance, so its audit throttle spans calls
        services.AddSingleton<FedNano.FederatedMLLM.Federation.IAdapterSource, FederatedAdapters>();
        services.AddHostedService<FederationTicker>();
        services.AddGrpc(o =>
        {
            o.Interceptors.Add<SiteAuthentication>();
            // No catch-all routes for unknown gRPC services: they would shadow the REST API's 415s and 404s.
            o.IgnoreUnknownServices = true;
            o.MaxReceiveMessageSize = 256 << 20;
            o.MaxSendMessageSize = 256 << 20;
        });
        return services;
    }

    /// <summary>The registry file for <paramref name="options"/> and the storage data directory.</summary>
    public static string RegistryPath(FederationOptions options, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Path.IsPathRooted(options.SitesFile) ? options.SitesFile : Path.Combine(dataDirectory, options.SitesFile);
    }

    /// <summary>Maps the federation gRPC services.</summary>
    public static IEndpointConventionBuilder MapFederation(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var split = endpoints.MapGrpcService<SplitComputeService>();
        var rounds = endpoints.MapGrpcService<RoundsService>();
        return new CompositeConvention([split, rounds]);
    }

    private sealed class CompositeConvention(IEndpointConventionBuilder[] builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var b in builders) b.Add(convention);
        }
    }
}
