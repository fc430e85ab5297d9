using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FedNano.DicomService.Federation;

/// <summary>
/// The sites the operator has issued credentials to, persisted as JSON (written to a temporary file and moved into
/// place, so a crash never leaves a half-written registry). A credential is "&lt;site-id&gt;.&lt;secret&gt;"; only a salted
/// PBKDF2 hash of the secret is kept.
/// </summary>
public sealed partial class SiteRegistry
{
    private const int Iterations = 100_000;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly string _path;
    private readonly Lock _gate = new();
    private Dictionary<string, SiteRecord> _sites;
    private (DateTime, long) _stamp;

    /// <summary>Opens (or starts) the registry at <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">The file exists but is not a registry.</exception>
    public SiteRegistry(string path)
    {
        _path = path ?? throw new ArgumentNullException(nameof(path));
        _sites = Load(path);
        _stamp = Stamp(path);
    }

    /// <summary>The sites, active and revoked.</summary>
    public IReadOnlyList<SiteRecord> Sites { get { lock (_gate) return [.. _sites.Values.OrderBy(s => s.Id, StringComparer.Ordinal)]; } }

    /// <summary>Creates site <paramref name="id"/> and returns its credential (shown once; it cannot be recovered).</summary>
    /// <exception cref="ArgumentException">The id is malformed or already taken.</exception>
    public string Create(string id, string? displayName = null)
    {
        if (string.IsNullOrEmpty(id) || !SiteId().IsMatch(id)) throw new ArgumentException($"Site id '{id}' must be 1–64 letters, digits, '-' or '_'.", nameof(id));
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Hash(secret, salt);
        lock (_gate)
        {
            if (_sites.ContainsKey(id)) throw new ArgumentException($"Site '{id}' already exists.", nameof(id));
            var next = new Dictionary<string, SiteRecord>(_sites) { [id] = new SiteRecord(id, displayName ?? id, Convert.ToBase64String(salt), Convert.ToBase64String(hash), DateTimeOffset.UtcNow) };
            Save(next);
            _sites = next;
        }
        return $"{id}.{secret}";
    }

    /// <summary>Revokes site <paramref name="id"/>: its credential is refused from now on.</summary>
    /// <exception cref="KeyNotFoundException">No such site.</exception>
    public void Revoke(string id)
    {
        lock (_gate)
        {
            if (!_sites.TryGetValue(id, out var site)) throw new KeyNotFoundException($"No site '{id}'.");
            var next = new Dictionary<string, SiteRecord>(_sites) { [id] = site with { RevokedUtc = DateTimeOffset.UtcNow } };
            Save(next);
            _sites = next;
        }
    }

    /// <summary>The site id a credential belongs to, or null with the reason when it is unknown, wrong or revoked.</summary>
    public (string? SiteId, string? Reason) Authenticate(string? credential)
    {
        if (string.IsNullOrEmpty(credential)) return (null, "no site credential");
        int dot = credential.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == credential.Length - 1) return (null, "malformed site credential");
        string id = credential[..dot], secret = credential[(dot + 1)..];
        SiteRecord? site;
        lock (_gate)
        {
            // The operator's `sites add|revoke` writes the file while the service runs: pick the change up.
            var stamp = Stamp(_path);
            if (stamp != _stamp)
            {
                _sites = Load(_path);
                _stamp = stamp;
            }
            _sites.TryGetValue(id, out site);
        }
        if (site is null) return (null, $"unknown site '{id}'");
        var expected = Convert.FromBase64String(site.HashBase64);
        if (!CryptographicOperations.FixedTimeEquals(Hash(secret, Convert.FromBase64String(site.SaltBase64)), expected)) return (null, $"wrong credential for site '{id}'");
        if (site.RevokedUtc is not null) return (null, $"site '{id}' was revoked");
        return (id, null);
    }

    private static byte[] Hash(string secret, byte[] salt) => Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, Iterations, HashAlgorithmName.SHA256, 32);

    private static Dictionary<string, SiteRecord> Load(string path)
    {
        if (!File.Exists(path)) return new Dictionary<string, SiteRecord>(StringComparer.Ordinal);
        try
        {
            var list = JsonSerializer.Deserialize<List<SiteRecord>>(File.ReadAllText(path), Json) ?? [];
            return list.ToDictionary(s => s.Id, StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Site registry {path} is malformed: {e.Message}", e);
        }
    }

    private void Save(Dictionary<string, SiteRecord> sites)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(sites.Values.OrderBy(s => s.Id, StringComparer.Ordinal).ToList(), Json));
        File.Move(temporary, _path, overwrite: true);
        _stamp = Stamp(_path);
    }

    private static (DateTime, long) Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex SiteId();
}
