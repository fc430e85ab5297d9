using System.ComponentModel.DataAnnotations;

namespace FedNano.DicomService.Configuration;

/// <summary>How clients authenticate to the DICOMweb and API routes.</summary>
public enum AuthenticationMode
{
    /// <summary>No authentication (the default; the default URL binds to loopback only).</summary>
    None,
    /// <summary>An API key in a request header (default <c>X-Api-Key</c>) or as <c>Authorization: ApiKey KEY</c>.</summary>
    ApiKey,
    /// <summary>A static bearer token: <c>Authorization: Bearer TOKEN</c>.</summary>
    Bearer,
}

/// <summary>Authentication settings (configuration section <c>Authentication</c>).</summary>
public sealed class AuthenticationSettings
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Authentication";

    /// <summary>None, ApiKey or Bearer.</summary>
    public AuthenticationMode Mode { get; set; } = AuthenticationMode.None;

    /// <summary>Header that carries the API key in <see cref="AuthenticationMode.ApiKey"/> mode.</summary>
    [Required]
    public string ApiKeyHeader { get; set; } = "X-Api-Key";

    /// <summary>Accepted API keys (<see cref="AuthenticationMode.ApiKey"/>).</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Accepted bearer tokens (<see cref="AuthenticationMode.Bearer"/>).</summary>
    public List<string> BearerTokens { get; set; } = [];

    /// <summary>The credentials of the configured mode (blank entries ignored).</summary>
    public IReadOnlyList<string> ActiveCredentials() => (Mode switch
    {
        AuthenticationMode.ApiKey => ApiKeys,
        AuthenticationMode.Bearer => BearerTokens,
        _ => [],
    }).Where(s => !string.IsNullOrWhiteSpace(s)).ToArray();
}
