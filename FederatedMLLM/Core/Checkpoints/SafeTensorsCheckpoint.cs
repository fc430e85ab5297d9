using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Checkpoints;

/// <summary>
/// A Hugging Face checkpoint's weights: one <c>model.safetensors</c>, or shards listed by
/// <c>model.safetensors.index.json</c> (<c>weight_map</c>: tensor → shard file). Gives every tensor's entry without
/// reading the data, and reads tensors on demand.
/// </summary>
public sealed class SafeTensorsCheckpoint
{
    /// <summary>The single-file weights name.</summary>
    public const string SingleFile = "model.safetensors";

    /// <summary>The shard index name.</summary>
    public const string IndexFile = "model.safetensors.index.json";

    private readonly Dictionary<string, SafeTensorsFile> _files;

    private SafeTensorsCheckpoint(Dictionary<string, SafeTensorsFile> files, Dictionary<string, SafeTensorsEntry> entries)
    {
        _files = files;
        Entries = entries;
    }

    /// <summary>Every tensor by name.</summary>
    public IReadOnlyDictionary<string, SafeTensorsEntry> Entries { get; }

    /// <summary>Opens the weights in <paramref name="directory"/> (index first, else the single file), or a single .safetensors file.</summary>
    /// <exception cref="CheckpointMismatchException">No weights there, or the index names a missing shard or a tensor its shard lacks.</exception>
    public static SafeTensorsCheckpoint Open(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var files = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
        var entries = new Dictionary<string, SafeTensorsEntry>(StringComparer.Ordinal);
        try
        {
            if (File.Exists(directory) && directory.EndsWith(".safetensors", StringComparison.Ordinal))
            {
                Add(SafeTensorsFile.Open(directory), null);
                return new SafeTensorsCheckpoint(files, entries);
            }
            string index = Path.Combine(directory, IndexFile), single = Path.Combine(directory, SingleFile);
            if (File.Exists(index))
            {
                var map = JsonNode.Parse(File.ReadAllText(index))?["weight_map"]?.AsObject()
                    ?? throw new CheckpointMismatchException($"{index} has no weight_map.");
                foreach (var shardName in map.Select(p => p.Value!.GetValue<string>()).Distinct())
                {
                    var shardPath = Path.Combine(directory, shardName);
                    if (!File.Exists(shardPath)) throw new CheckpointMismatchException($"{index} lists shard {shardName}, which is not in {directory}.");
                    Add(SafeTensorsFile.Open(shardPath), map.Where(p => p.Value!.GetValue<string>() == shardName).Select(p => p.Key).ToHashSet());
                }
                foreach (var (name, _) in map)
                    if (!entries.ContainsKey(name)) throw new CheckpointMismatchException($"{index} maps '{name}' to a shard that does not hold it.", name);
            }
            else if (File.Exists(single))
            {
                Add(SafeTensorsFile.Open(single), null);
            }
            else
            {
                throw new CheckpointMismatchException($"{directory} has neither {SingleFile} nor {IndexFile}.");
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or IOException)
        {
            throw new CheckpointMismatchException($"Checkpoint {directory} is unreadable: {e.Message}", inner: e);
        }
        return new SafeTensorsCheckpoint(files, entries);

        void Add(SafeTensorsFile file, HashSet<string>? only)
        {
            files[file.Path] = file;
            foreach (var (name, entry) in file.Entries)
                if (only is null || only.Contains(name)) entries[name] = entry;
        }
    }

    /// <summary>Reads one tensor (CPU, stored dtype).</summary>
    public Tensor Read(string name)
    {
        var entry = Entries.TryGetValue(name, out var e) ? e : throw new CheckpointMismatchException($"The checkpoint has no tensor '{name}'.", name);
        return _files[entry.File].Read(name);
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> into <paramref name="directory"/>: one <c>model.safetensors</c> when they fit in
    /// <paramref name="maxShardBytes"/>, else shards <c>model-0000k-of-0000n.safetensors</c> plus the index.
    /// </summary>
    public static void Write(string directory, IReadOnlyList<(string Name, Tensor Tensor)> tensors, long maxShardBytes = 2L << 30, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Directory.CreateDirectory(directory);
        var shards = new List<List<(string, Tensor)>> { new() };
        long current = 0, total = 0;
        foreach (var (name, tensor) in tensors)
        {
            long size = tensor.numel() * tensor.element_size();
            if (current > 0 && current + size > maxShardBytes)
            {
                shards.Add([]);
                current = 0;
            }
            shards[^1].Add((name, tensor));
            current += size;
            total += size;
        }
        var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>()) { ["format"] = "pt" };
        foreach (var stale in Directory.EnumerateFiles(directory, "model*.safetensors*")) File.Delete(stale);
        if (shards.Count == 1)
        {
            SafeTensorsFile.Write(Path.Combine(directory, SingleFile), shards[0], meta);
            return;
        }
        var weightMap = new JsonObject();
        for (int i = 0; i < shards.Count; i++)
        {
            string file = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            SafeTensorsFile.Write(Path.Combine(directory, file), shards[i], meta);
            foreach (var (name, _) in shards[i]) weightMap[name] = file;
        }
        var index = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = total }, ["weight_map"] = weightMap };
        File.WriteAllText(Path.Combine(directory, IndexFile), index.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
