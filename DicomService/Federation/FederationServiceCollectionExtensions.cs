using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
            .ValidateOnStart();
        services.AddSingleton(sp => new SiteRegistry(RegistryPath(sp.GetRequiredService<IOptions<FederationOptions>>().Value, dataDirectory)));
        services.AddSingleton<FederationModel>();
        services.AddGrpc(o =>
        {
            o.Interceptors.Add<SiteAuthentication>();
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
    public static IEndpointConventionBuilder MapFederation(this IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<SplitComputeService>();
}
