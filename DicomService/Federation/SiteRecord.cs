namespace FedNano.DicomService.Federation;

/// <summary>A hospital site as the registry stores it: never the secret itself, only a salted PBKDF2 hash.</summary>
/// <param name="Id">Site id (letters, digits, '-', '_').</param>
/// <param name="DisplayName">Human-readable name.</param>
/// <param name="SaltBase64">Random salt.</param>
/// <param name="HashBase64">PBKDF2-SHA256 of the secret.</param>
/// <param name="CreatedUtc">When the operator created it.</param>
/// <param name="RevokedUtc">When it was revoked; null while active.</param>
public sealed record SiteRecord(string Id, string DisplayName, string SaltBase64, string HashBase64, DateTimeOffset CreatedUtc, DateTimeOffset? RevokedUtc = null);
