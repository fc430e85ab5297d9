using FedNano.DicomService.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Security;

/// <summary>Registers the token authentication scheme and the policy that protects DICOMweb and API routes.</summary>
public static class AuthenticationSetup
{
    /// <summary>The policy for every DICOMweb and <c>/api</c> route (also the fallback policy).</summary>
    public const string ClientPolicy = "DicomWebClient";

    /// <summary>Adds authentication (<see cref="TokenAuthenticationHandler"/>) and authorization.</summary>
    public static IServiceCollection AddFedNanoAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthenticationSettings>()
            .Bind(configuration.GetSection(AuthenticationSettings.SectionName))
            .ValidateDataAnnotations()
            .Validate(s => s.Mode == AuthenticationMode.None || s.ActiveCredentials().Count > 0,
                "Authentication:Mode is ApiKey or Bearer but no Authentication:ApiKeys / Authentication:BearerTokens are configured.")
            .ValidateOnStart();

        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .AddPolicy(ClientPolicy, BuildPolicy())
            // Routes added later (e.g. /api) are protected unless they opt out with AllowAnonymous.
            .SetFallbackPolicy(BuildPolicy());
        services.AddSingleton<IAuthorizationHandler, ClientRequirementHandler>();
        return services;
    }

    private static AuthorizationPolicy BuildPolicy() =>
        new AuthorizationPolicyBuilder(TokenAuthenticationHandler.SchemeName)
            .AddRequirements(new ClientRequirement())
            .Build();

    /// <summary>Satisfied by any request when authentication is off, else by an authenticated client.</summary>
    internal sealed class ClientRequirement : IAuthorizationRequirement;

    internal sealed class ClientRequirementHandler(IOptionsMonitor<AuthenticationSettings> settings) : AuthorizationHandler<ClientRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ClientRequirement requirement)
        {
            if (settings.CurrentValue.Mode == AuthenticationMode.None || context.User.Identity?.IsAuthenticated == true)
                context.Succeed(requirement);
            return Task.CompletedTask;
        }
    }
}
