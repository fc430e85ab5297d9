using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using FedNano.DicomService.Configuration;
using FedNano.DicomService.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Security;

/// <summary>
/// Authenticates a request by a static API key or bearer token from configuration
/// (<see cref="AuthenticationSettings"/>). Credentials are compared in constant time (SHA-256 digests compared with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither content nor length leaks through timing).
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<AuthenticationSettings> settings)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "FedNanoToken";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var current = settings.CurrentValue;
        if (current.Mode == AuthenticationMode.None) return Task.FromResult(AuthenticateResult.NoResult());

        var presented = ReadCredential(current);
        if (presented is null) return Task.FromResult(AuthenticateResult.NoResult());
        if (!Matches(presented, current.ActiveCredentials()))
            return Task.FromResult(AuthenticateResult.Fail("The credential is not valid."));
        return Task.FromResult(AuthenticateResult.Success(Ticket("client", current.Mode)));
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var current = settings.CurrentValue;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = current.Mode == AuthenticationMode.Bearer
            ? "Bearer realm=\"FedNano DICOMweb\""
            : $"ApiKey realm=\"FedNano DICOMweb\", header=\"{current.ApiKeyHeader}\"";
        var detail = current.Mode == AuthenticationMode.Bearer
            ? "This route requires a valid bearer token in the Authorization header."
            : $"This route requires a valid API key in the {current.ApiKeyHeader} header (or Authorization: ApiKey KEY).";
        await ProblemResponses.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemResponses.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "The credential does not allow this request.");

    private string? ReadCredential(AuthenticationSettings current)
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (current.Mode == AuthenticationMode.Bearer)
            return TryScheme(authorization, "Bearer");
        var header = Request.Headers[current.ApiKeyHeader].ToString();
        if (!string.IsNullOrWhiteSpace(header)) return header.Trim();
        return TryScheme(authorization, "ApiKey");
    }

    private static string? TryScheme(string authorization, string scheme)
    {
        if (authorization.Length <= scheme.Length + 1) return null;
        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || authorization[scheme.Length] != ' ') return null;
        var value = authorization[(scheme.Length + 1)..].Trim();
        return value.Length == 0 ? null : value;
    }

    /// <summary>True when <paramref name="presented"/> equals one of <paramref name="accepted"/>; every candidate is compared in constant time.</summary>
    internal static bool Matches(string presented, IReadOnlyList<string> accepted)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = false;
        foreach (var candidate in accepted)
            match |= CryptographicOperations.FixedTimeEquals(digest, SHA256.HashData(Encoding.UTF8.GetBytes(candidate)));
        return match;
    }

    private AuthenticationTicket Ticket(string name, AuthenticationMode mode)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim("auth_mode", mode.ToString())], Scheme.Name);
        return new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name);
    }
}
