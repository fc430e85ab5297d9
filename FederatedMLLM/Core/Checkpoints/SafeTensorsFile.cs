using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Checkpoints;

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header mapping each tensor
/// name to <c>{dtype, shape, data_offsets}</c> (plus optional <c>__metadata__</c> strings), then the raw little-endian
/// tensor bytes. Reads tensors one at a time from the file, so a checkpoint far larger than memory can be loaded part
/// by part.
/// </summary>
public sealed class SafeTensorsFile
{
    /// <summary>Largest header accepted (100 MB, as the reference implementation).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private SafeTensorsFile(string path, long dataStart, IReadOnlyDictionary<string, SafeTensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        DataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Offset of the first tensor byte (8 + header length).</summary>
    public long DataStart { get; }

    /// <summary>The tensors in the file by name.</summary>
    public IReadOnlyDictionary<string, SafeTensorsEntry> Entries { get; }

    /// <summary>The header's <c>__metadata__</c> strings.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Reads the header of <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">The file is too short, the header is not valid JSON, or an entry's byte range is inconsistent with its dtype and shape or the file size.</exception>
    public static SafeTensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.Read(lengthBytes) != 8) throw new FormatException($"{path} is shorter than a safetensors header.");
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (headerLength <= 1 || headerLength > MaxHeaderBytes || 8 + headerLength > stream.Length)
            throw new FormatException($"{path}: header length {headerLength} is not plausible for a {stream.Length}-byte file.");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataLength = stream.Length - 8 - headerLength;
        var entries = new Dictionary<string, SafeTensorsEntry>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(header)?.AsObject() ?? throw new FormatException($"{path}: the header is not a JSON object.");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"{path}: the header is not valid JSON ({e.Message}).", e);
        }
        foreach (var (name, node) in root)
        {
            if (name == "__metadata__")
            {
                if (node is JsonObject m)
                    foreach (var (k, v) in m) metadata[k] = v?.GetValue<string>() ?? "";
                continue;
            }
            try
            {
                var o = node!.AsObject();
                string dtype = o["dtype"]!.GetValue<string>();
                long[] shape = o["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
                var offsets = o["data_offsets"]!.AsArray();
                long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
                var entry = new SafeTensorsEntry(name, dtype, shape, begin, end, path);
                if (shape.Any(d => d < 0) || begin < 0 || end < begin || end > dataLength || end - begin != entry.ElementCount * SafeTensorsDtype.ElementSize(dtype))
                    throw new FormatException($"{path}: tensor '{name}' ({dtype} {entry.ShapeText}) has byte range [{begin}, {end}) that does not fit its size or the file.");
                entries[name] = entry;
            }
            catch (Exception e) when (e is InvalidOperationException or NullReferenceException or ArgumentOutOfRangeException or IndexOutOfRangeException or JsonException)
            {
                throw new FormatException($"{path}: header entry '{name}' is malformed ({e.Message}).", e);
            }
        }
        return new SafeTensorsFile(path, 8 + headerLength, entries, metadata);
    }

    /// <summary>Reads one tensor into a new CPU tensor of its stored dtype.</summary>
    /// <exception cref="KeyNotFoundException">No tensor of that name.</exception>
    public Tensor Read(string name)
    {
        var entry = Entries.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"{Path} has no tensor '{name}'.");
        var bytes = new byte[entry.End - entry.Begin];
        using (var stream = File.OpenRead(Path))
        {
            stream.Seek(DataStart + entry.Begin, SeekOrigin.Begin);
            stream.ReadExactly(bytes);
        }
        var tensor = empty(entry.Shape, SafeTensorsDtype.ToScalarType(entry.Dtype));
        if (bytes.Length > 0) tensor.bytes = bytes;
        return tensor;
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> (any device; stored contiguous, little-endian, in the order given) with
    /// optional metadata. The file is written beside the target and moved into place, so a crash never leaves half a checkpoint.
    /// </summary>
    public static void Write(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var m = new JsonObject();
            foreach (var (k, v) in metadata) m[k] = v;
            header["__metadata__"] = m;
        }
        long offset = 0;
        foreach (var (name, tensor) in list)
        {
            long size = tensor.numel() * tensor.element_size();
            header[name] = new JsonObject
            {
                ["dtype"] = SafeTensorsDtype.FromScalarType(tensor.dtype),
                ["shape"] = new JsonArray(tensor.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + size),
            };
            offset += size;
        }
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        // Pad with spaces to a multiple of 8 so tensor data starts aligned (allowed by the format).
        int padded = (headerBytes.Length + 7) / 8 * 8;
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            Span<byte> lengthBytes = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(lengthBytes, padded);
            stream.Write(lengthBytes);
            stream.Write(headerBytes);
            for (int i = headerBytes.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var (_, tensor) in list)
            {
                using var cpu = tensor.detach().cpu().contiguous();
                if (cpu.numel() > 0) stream.Write(cpu.bytes);
            }
        }
        File.Move(temporary, path, overwrite: true);
    }
}
