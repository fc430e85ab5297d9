using System.Text.Json;

namespace FedNano.FederatedMLLM.Federation;

/// <summary>
/// What the coordinator needs to resume after a restart: the global adapters and their version, and the rounds so far.
/// Written atomically (temporary file, then moved into place) after every change of round state.
/// </summary>
public sealed class FederationSnapshot
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Version of <see cref="Global"/>.</summary>
    public string GlobalVersion { get; set; } = "";

    /// <summary>The global adapters: name, shape and fp32 values (base64).</summary>
    public List<SnapshotTensor> Global { get; set; } = [];

    /// <summary>Rounds so far, the last possibly open.</summary>
    public List<RoundRecord> Rounds { get; set; } = [];

    /// <summary>Accepted updates of the open round, so a restart does not lose them.</summary>
    public List<SnapshotUpdate> Pending { get; set; } = [];

    /// <summary>The adapters each site last contributed to an aggregated round (selectable for question answering).</summary>
    public List<SnapshotUpdate> SiteAdapters { get; set; } = [];

    /// <summary>One stored update.</summary>
    public sealed record SnapshotUpdate(string SiteId, long SampleCount, List<SnapshotTensor> Adapters, List<SnapshotTensor>? Fisher);

    /// <summary>One stored tensor.</summary>
    public sealed record SnapshotTensor(string Name, long[] Shape, string ValuesBase64);

    /// <summary>Snapshot of <paramref name="global"/> and <paramref name="rounds"/>.</summary>
    public static FederationSnapshot Of(string version, AdapterSet global, IEnumerable<RoundRecord> rounds, IEnumerable<SiteUpdate>? pending = null, IEnumerable<(string Site, int Round, AdapterSet Adapters)>? bySite = null)
    {
        ArgumentNullException.ThrowIfNull(global);
        return new FederationSnapshot
        {
            GlobalVersion = version,
            Global = Store(global),
            Rounds = rounds.ToList(),
            Pending = (pending ?? []).Select(u => new SnapshotUpdate(u.SiteId, u.SampleCount, Store(u.Adapters), u.Fisher is null ? null : Store(u.Fisher))).ToList(),
            SiteAdapters = (bySite ?? []).Select(s => new SnapshotUpdate(s.Site, s.Round, Store(s.Adapters), null)).ToList(),
        };
    }

    /// <summary>The global adapters back.</summary>
    public AdapterSet GlobalAdapters() => Restore(Global);

    /// <summary>The pending updates back.</summary>
    public IEnumerable<SiteUpdate> PendingUpdates() => Pending.Select(p => new SiteUpdate(p.SiteId, Restore(p.Adapters), p.SampleCount, p.Fisher is null ? null : Restore(p.Fisher)));

    /// <summary>The per-site adapters back (the round is kept in the sample-count field).</summary>
    public IEnumerable<(string Site, int Round, AdapterSet Adapters)> SiteAdapterSets() => SiteAdapters.Select(s => (s.SiteId, (int)s.SampleCount, Restore(s.Adapters)));

    private static List<SnapshotTensor> Store(AdapterSet set) => set.Tensors.Select(t =>
    {
        var bytes = new byte[t.Values.Length * 4];
        Buffer.BlockCopy(t.Values, 0, bytes, 0, bytes.Length);
        return new SnapshotTensor(t.Name, t.Shape, Convert.ToBase64String(bytes));
    }).ToList();

    private static AdapterSet Restore(List<SnapshotTensor> tensors) => new(tensors.Select(t =>
    {
        var bytes = Convert.FromBase64String(t.ValuesBase64);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return new AdapterTensor(t.Name, t.Shape, values);
    }).ToArray());

    /// <summary>Writes to <paramref name="path"/> atomically.</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads <paramref name="path"/>, or null when there is none.</summary>
    /// <exception cref="FormatException">The file is not a snapshot.</exception>
    public static FederationSnapshot? Load(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<FederationSnapshot>(File.ReadAllText(path), Json) ?? throw new FormatException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"Federation snapshot {path} is malformed: {e.Message}", e);
        }
    }
}
