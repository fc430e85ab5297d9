using FedNano.FederatedMLLM.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Checkpoints;

/// <summary>
/// Loads and saves a <see cref="MultimodalModel"/> as a Hugging Face-style directory: <c>config.json</c> plus
/// safetensors weights (single or sharded). Reads the LLaVA names of both <c>transformers</c> layouts
/// (<c>language_model.model.layers.…</c> and the newer <c>model.language_model.layers.…</c>), a bare LLaMA
/// (<c>model.layers.…</c>, <c>lm_head.weight</c>) and a bare CLIP vision tower (<c>vision_model.…</c>).
/// Every tensor's shape is checked against the model's, and stored dtypes (fp32, bf16, fp16) are converted.
/// </summary>
public static class ModelCheckpoint
{
    /// <summary>The config file name.</summary>
    public const string ConfigFile = "config.json";

    // Tensors checkpoints carry that are not parameters here (recomputed buffers, or parts this model does not have).
    private static readonly string[] IgnorableSuffixes = ["position_ids", "rotary_emb.inv_freq"];
    private static readonly string[] IgnorablePrefixes = ["text_model.", "logit_scale", "text_projection.", "visual_projection."];

    /// <summary>Builds the model from <c>config.json</c> in <paramref name="directory"/> and loads its weights.</summary>
    /// <exception cref="CheckpointMismatchException">A tensor is missing or has the wrong shape, or a file is unreadable.</exception>
    /// <exception cref="FormatException">The config is not a supported model type.</exception>
    public static (MultimodalModel Model, CheckpointLoadReport Report) Load(string directory, CheckpointLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var configPath = Path.Combine(directory, ConfigFile);
        if (!File.Exists(configPath)) throw new CheckpointMismatchException($"{directory} has no {ConfigFile}.");
        var config = MultimodalConfig.Load(configPath);
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CheckpointMismatchException($"{configPath}: {e.Message}", inner: e);
        }
        var model = new MultimodalModel(config);
        var report = LoadWeights(model, directory, options);
        return (model, report);
    }

    /// <summary>Fills <paramref name="model"/>'s parameters from the safetensors weights at <paramref name="path"/> (directory or file).</summary>
    /// <exception cref="CheckpointMismatchException">A tensor has the wrong shape, or one the options do not allow to be missing is absent.</exception>
    public static CheckpointLoadReport LoadWeights(MultimodalModel model, string path, CheckpointLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new CheckpointLoadOptions();
        var checkpoint = SafeTensorsCheckpoint.Open(path);
        var dtype = options.Dtype ?? ScalarType.Float32;
        var loaded = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        var targets = BaseTensors(model).ToList();
        using (no_grad())
        {
            foreach (var (name, target) in targets)
            {
                var source = Candidates(name).FirstOrDefault(checkpoint.Entries.ContainsKey);
                if (source is null)
                {
                    if (options.AllowMissingPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))) { missing.Add(name); continue; }
                    throw new CheckpointMismatchException(
                        $"The checkpoint at {path} has no tensor for '{name}' (looked for {string.Join(", ", Candidates(name))}).", name);
                }
                var entry = checkpoint.Entries[source];
                if (!entry.Shape.SequenceEqual(target.shape))
                    throw new CheckpointMismatchException(
                        $"Tensor '{source}' in the checkpoint has shape {entry.ShapeText}, but the model's '{name}' is [{string.Join(", ", target.shape)}]; the config does not match these weights.", source);
                if (entry.Dtype is not ("F32" or "BF16" or "F16" or "F64"))
                    throw new CheckpointMismatchException($"Tensor '{source}' is stored as {entry.Dtype}; weights must be F32, BF16 or F16.", source);
                using var value = checkpoint.Read(source);
                target.copy_(value.to(target.dtype));
                loaded[name] = source;
            }
        }
        model.to(dtype);
        if (options.Device is { } device) model.to(device);
        var taken = loaded.Values.ToHashSet(StringComparer.Ordinal);
        var unused = checkpoint.Entries.Keys.Where(k => !taken.Contains(k) && !Ignorable(k)).Order(StringComparer.Ordinal).ToList();
        return new CheckpointLoadReport(loaded, missing, unused);
    }

    /// <summary>
    /// Saves <c>config.json</c> and the base weights (adapters excluded) under the classic LLaVA names, in the model's
    /// dtype or <paramref name="dtype"/>, sharded above <paramref name="maxShardBytes"/>.
    /// </summary>
    public static void Save(MultimodalModel model, string directory, ScalarType? dtype = null, long maxShardBytes = 2L << 30, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(directory);
        var tensors = BaseTensors(model).Select(p => (p.Name, dtype is { } t && p.Tensor.dtype != t ? p.Tensor.to(t) : p.Tensor)).ToList();
        model.Config.TextConfig.TorchDtype = (dtype ?? tensors[0].Item2.dtype) switch
        {
            ScalarType.BFloat16 => "bfloat16",
            ScalarType.Float16 => "float16",
            _ => "float32",
        };
        SafeTensorsCheckpoint.Write(directory, tensors, maxShardBytes, metadata);
        model.Config.Save(Path.Combine(directory, ConfigFile));
    }

    /// <summary>The model's parameters that belong to the base checkpoint (not the adapter slots), by name.</summary>
    public static IEnumerable<(string Name, Tensor Tensor)> BaseTensors(MultimodalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var (name, parameter) in model.named_parameters())
            if (name.StartsWith("vision_tower.", StringComparison.Ordinal) || name.StartsWith("multi_modal_projector.", StringComparison.Ordinal)
                || name.StartsWith("language_model.", StringComparison.Ordinal))
                yield return (name, parameter);
    }

    /// <summary>Names a model tensor may have in the supported checkpoint layouts, most specific first.</summary>
    public static IEnumerable<string> Candidates(string name)
    {
        yield return name;
        if (name.StartsWith("language_model.model.", StringComparison.Ordinal))
        {
            var rest = name["language_model.model.".Length..];
            yield return "model.language_model." + rest; // transformers ≥ 4.52 LLaVA
            yield return "model." + rest;                // bare LLaMA
        }
        else if (name == "language_model.lm_head.weight")
        {
            yield return "lm_head.weight";
        }
        else if (name.StartsWith("vision_tower.", StringComparison.Ordinal))
        {
            yield return "model." + name;
            yield return name["vision_tower.".Length..]; // bare CLIP vision model
        }
        else if (name.StartsWith("multi_modal_projector.", StringComparison.Ordinal))
        {
            yield return "model." + name;
        }
    }

    private static bool Ignorable(string name) =>
        IgnorableSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)) || IgnorablePrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    /// <summary>
    /// A model directory's version: its name and the first 12 hex digits of the SHA-256 of its safetensors files
    /// (in name order), e.g. <c>radiology-base-small@1a2b3c4d5e6f</c> — what answers and rounds are labelled with.
    /// </summary>
    public static string VersionOf(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        using var sha = System.Security.Cryptography.SHA256.Create();
        foreach (var file in Directory.GetFiles(directory, "*.safetensors").Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(file);
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }
        sha.TransformFinalBlock([], 0, 0);
        return $"{Path.GetFileName(directory.TrimEnd(Path.DirectorySeparatorChar))}@{Convert.ToHexString(sha.Hash!)[..12].ToLowerInvariant()}";
    }
}
