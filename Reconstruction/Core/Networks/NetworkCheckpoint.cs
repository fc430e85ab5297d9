using System.Security.Cryptography;
using System.Text;
using FedNano.Reconstruction.Analytic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Networks;

/// <summary>
/// A saved <see cref="DualDomainCascade"/>: its <see cref="DualDomainConfig"/> and weights in one file, plus, for
/// resuming training, the optimiser state and the epoch/step reached.
/// </summary>
/// <remarks>
/// <para>File layout (little-endian; strings are .NET <see cref="BinaryWriter"/> strings: 7-bit length + UTF-8):
/// magic "FNDDCKPT"; format version (int32, 1); the config JSON (string, <see cref="DualDomainConfig.ToJson"/>);
/// progress flag (byte) followed, when 1, by epoch (int32) and step (int64); section count (int32) and per section its
/// name (string), byte length (int64) and bytes; finally the SHA-256 of everything before it (32 bytes).
/// Sections: <c>projection-cnn</c> and <c>image-cnn</c> (TorchSharp state dictionaries as written by
/// <c>Module.save</c>, present when the stage is enabled) and <c>optimizer</c> (TorchSharp optimiser state, optional).
/// The FBP has no weights and is rebuilt from the config.</para>
/// <para>Writes go to a temporary file in the same folder that is then renamed over the target, so a crash never
/// leaves a half-written checkpoint under the final name. Loading copies the stored bytes into freshly built
/// modules, so a loaded cascade reproduces the saved one's outputs bit for bit on the same device.</para>
/// </remarks>
public sealed class NetworkCheckpoint
{
    /// <summary>Current file format version.</summary>
    public const int FormatVersion = 1;

    private const string ProjectionSection = "projection-cnn";
    private const string ImageSection = "image-cnn";
    private const string OptimizerSection = "optimizer";
    private const int HashBytes = 32;
    private static readonly byte[] Magic = "FNDDCKPT"u8.ToArray();

    private readonly Dictionary<string, byte[]> _sections;

    private NetworkCheckpoint(string path, DualDomainConfig config, NetworkCheckpointProgress? progress, Dictionary<string, byte[]> sections)
    {
        Path = path;
        Config = config;
        Progress = progress;
        _sections = sections;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>The network's configuration.</summary>
    public DualDomainConfig Config { get; }

    /// <summary>Training progress when saved, or null.</summary>
    public NetworkCheckpointProgress? Progress { get; }

    /// <summary>True when the file holds optimiser state for <see cref="RestoreOptimizer"/>.</summary>
    public bool HasOptimizerState => _sections.ContainsKey(OptimizerSection);

    /// <summary>Writes <paramref name="cascade"/> (config + weights) and optionally training state to <paramref name="path"/>.</summary>
    /// <param name="path">Target file (replaced atomically when it exists).</param>
    /// <param name="cascade">The network.</param>
    /// <param name="progress">Epoch and step reached, for resuming.</param>
    /// <param name="optimizer">Optimiser over <c>cascade.parameters()</c> whose state to keep, for resuming.</param>
    /// <exception cref="ArgumentException">The path is empty or the progress is negative.</exception>
    public static void Save(string path, DualDomainCascade cascade, NetworkCheckpointProgress? progress = null, OptimizerHelper? optimizer = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(cascade);
        progress?.Validate();

        var sections = new List<(string Name, byte[] Bytes)>();
        if (cascade.ProjectionCnn is { } projection)
        {
            sections.Add((ProjectionSection, Serialize(w => projection.save(w))));
        }
        if (cascade.ImageCnn is { } image)
        {
            sections.Add((ImageSection, Serialize(w => image.save(w))));
        }
        if (optimizer is not null)
        {
            sections.Add((OptimizerSection, Serialize(optimizer.save_state_dict)));
        }

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(cascade.Config.ToJson());
            writer.Write((byte)(progress is null ? 0 : 1));
            if (progress is not null)
            {
                writer.Write(progress.Epoch);
                writer.Write(progress.Step);
            }
            writer.Write(sections.Count);
            foreach (var (name, bytes) in sections)
            {
                writer.Write(name);
                writer.Write((long)bytes.Length);
                writer.Write(bytes);
            }
        }
        byte[] hash = SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        buffer.Write(hash);

        string full = System.IO.Path.GetFullPath(path);
        string? folder = System.IO.Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
        string temporary = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                buffer.Position = 0;
                buffer.CopyTo(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Reads and verifies a checkpoint (format, integrity hash, config); weights are loaded on demand.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a network checkpoint, is truncated or corrupted, or its config is invalid.</exception>
    public static NetworkCheckpoint Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Network checkpoint '{path}' does not exist.", path);
        }
        byte[] data = File.ReadAllBytes(path);
        if (data.Length < Magic.Length + sizeof(int) + HashBytes || !data.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"'{path}' is not a FedNano network checkpoint (no FNDDCKPT header).");
        }
        int payload = data.Length - HashBytes;
        if (!SHA256.HashData(data.AsSpan(0, payload)).AsSpan().SequenceEqual(data.AsSpan(payload)))
        {
            throw new InvalidDataException($"Network checkpoint '{path}' is truncated or corrupted (integrity hash mismatch).");
        }
        try
        {
            using var reader = new BinaryReader(new MemoryStream(data, 0, payload, writable: false), Encoding.UTF8);
            reader.ReadBytes(Magic.Length);
            int version = reader.ReadInt32();
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"Network checkpoint '{path}' has format version {version}; this build reads version {FormatVersion}.");
            }
            DualDomainConfig config;
            try
            {
                config = DualDomainConfig.FromJson(reader.ReadString());
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"Network checkpoint '{path}': {e.Message}", e);
            }
            NetworkCheckpointProgress? progress = null;
            if (reader.ReadByte() != 0)
            {
                progress = new NetworkCheckpointProgress(reader.ReadInt32(), reader.ReadInt64());
                progress.Validate();
            }
            int count = reader.ReadInt32();
            if (count < 0 || count > 16)
            {
                throw new InvalidDataException($"Network checkpoint '{path}' declares {count} sections.");
            }
            var sections = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                long length = reader.ReadInt64();
                if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
                {
                    throw new InvalidDataException($"Network checkpoint '{path}': section '{name}' length {length} runs past the end.");
                }
                if (!sections.TryAdd(name, reader.ReadBytes((int)length)))
                {
                    throw new InvalidDataException($"Network checkpoint '{path}' holds section '{name}' twice.");
                }
            }
            if (reader.BaseStream.Position != payload)
            {
                throw new InvalidDataException($"Network checkpoint '{path}' has {payload - reader.BaseStream.Position} unexpected bytes after its sections.");
            }
            RequireSection(path, sections, ProjectionSection, config.ProjectionCnnEnabled);
            RequireSection(path, sections, ImageSection, config.ImageCnnEnabled);
            return new NetworkCheckpoint(path, config, progress, sections);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or FormatException or IOException and not FileNotFoundException)
        {
            throw new InvalidDataException($"Network checkpoint '{path}' is malformed: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads a checkpoint, checks it against <paramref name="expected"/> when given (every field but the preset name),
    /// and returns the cascade with its weights on <paramref name="device"/> (CPU by default).
    /// </summary>
    /// <exception cref="NetworkCheckpointMismatchException">The stored config differs from <paramref name="expected"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid checkpoint.</exception>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="expected">The configuration the caller needs, or null to accept the stored one.</param>
    /// <param name="device">Where the cascade should live (null: CPU).</param>
    /// <param name="backprojection">How the FBP backprojects (null: the C# kernel on CPU, torch operations elsewhere).</param>
    public static DualDomainCascade Load(string path, DualDomainConfig? expected = null, Device? device = null, BackprojectionOptions? backprojection = null)
    {
        var checkpoint = Read(path);
        if (expected is not null)
        {
            checkpoint.RequireMatch(expected);
        }
        return checkpoint.CreateCascade(device, backprojection);
    }

    /// <summary>Throws unless the stored config equals <paramref name="expected"/> in every field but the preset name.</summary>
    /// <exception cref="NetworkCheckpointMismatchException">Names every differing field.</exception>
    public void RequireMatch(DualDomainConfig expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var differences = expected.Differences(Config);
        if (differences.Count > 0)
        {
            throw new NetworkCheckpointMismatchException(Path, differences);
        }
    }

    /// <summary>
    /// Throws unless the checkpoint was built for <paramref name="geometry"/> and, when given, <paramref name="rowPattern"/>
    /// and <paramref name="grid"/> (what a reconstruction of a given scan needs; the CNN layout comes from the file).
    /// </summary>
    /// <exception cref="NetworkCheckpointMismatchException">Names every differing field.</exception>
    /// <exception cref="ArgumentException">The row pattern does not belong to <paramref name="geometry"/>'s detector.</exception>
    public void RequireGeometry(DualDomainGeometry geometry, SparseRowPattern? rowPattern = null, ImageGrid2D? grid = null)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (rowPattern is not null && rowPattern.DetectorRows != geometry.DetectorRows)
        {
            throw new ArgumentException(
                $"The row pattern lives on {rowPattern.DetectorRows} detector rows but the geometry has {geometry.DetectorRows}.", nameof(rowPattern));
        }
        var differences = DualDomainConfig.AcquisitionDifferences(geometry, rowPattern?.ToString(), grid, Config);
        if (differences.Count > 0)
        {
            throw new NetworkCheckpointMismatchException(Path, differences);
        }
    }

    /// <summary>Builds the stored cascade and loads its weights, on <paramref name="device"/> (CPU by default).</summary>
    /// <param name="device">Where the cascade should live.</param>
    /// <param name="backprojection">How the FBP backprojects (null: the C# kernel on CPU, torch operations elsewhere).</param>
    /// <exception cref="InvalidDataException">The stored weights do not fit the stored layout.</exception>
    public DualDomainCascade CreateCascade(Device? device = null, BackprojectionOptions? backprojection = null)
    {
        var cascade = new DualDomainCascade(Config, backprojection);
        try
        {
            LoadWeightsInto(cascade);
            if (device is not null)
            {
                cascade.to(device);
            }
            return cascade;
        }
        catch
        {
            cascade.Dispose();
            throw;
        }
    }

    /// <summary>Copies the stored weights into <paramref name="cascade"/>, which must have the stored config.</summary>
    /// <exception cref="NetworkCheckpointMismatchException">The cascade's config differs from the stored one.</exception>
    /// <exception cref="InvalidDataException">The stored weights do not fit.</exception>
    public void LoadWeightsInto(DualDomainCascade cascade)
    {
        ArgumentNullException.ThrowIfNull(cascade);
        RequireMatch(cascade.Config);
        if (cascade.ProjectionCnn is { } projection)
        {
            LoadSection(ProjectionSection, projection);
        }
        if (cascade.ImageCnn is { } image)
        {
            LoadSection(ImageSection, image);
        }
    }

    /// <summary>
    /// Restores the stored optimiser state into <paramref name="optimizer"/>, which must have been created the same way
    /// (type, parameter groups) over the parameters of a cascade loaded from this checkpoint.
    /// </summary>
    /// <exception cref="InvalidOperationException">The checkpoint holds no optimiser state.</exception>
    /// <exception cref="InvalidDataException">The stored state does not fit the optimiser.</exception>
    public void RestoreOptimizer(OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!_sections.TryGetValue(OptimizerSection, out var bytes))
        {
            throw new InvalidOperationException($"Network checkpoint '{Path}' holds no optimiser state (it was saved without one).");
        }
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
            optimizer.load_state_dict(reader);
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"Network checkpoint '{Path}': the optimiser state does not fit this optimiser ({e.Message}).", e);
        }
    }

    private void LoadSection(string name, nn.Module module)
    {
        var bytes = _sections[name];
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var reader = new BinaryReader(stream);
            module.load(reader, strict: true);
            if (stream.Position != stream.Length)
            {
                throw new InvalidDataException($"{stream.Length - stream.Position} bytes left over.");
            }
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException or InvalidDataException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"Network checkpoint '{Path}': section '{name}' does not fit the stored layout ({e.Message}).", e);
        }
    }

    private static void RequireSection(string path, Dictionary<string, byte[]> sections, string name, bool enabled)
    {
        if (enabled != sections.ContainsKey(name))
        {
            throw new InvalidDataException(enabled
                ? $"Network checkpoint '{path}' has no '{name}' weights although its config enables that stage."
                : $"Network checkpoint '{path}' has '{name}' weights although its config bypasses that stage.");
        }
    }

    private static byte[] Serialize(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
        }
        return stream.ToArray();
    }
}
