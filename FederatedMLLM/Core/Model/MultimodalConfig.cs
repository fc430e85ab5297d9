using System.Text.Json;
using System.Text.Json.Serialization;

namespace FedNano.FederatedMLLM.Model;

/// <summary>
/// The whole model's shape in Hugging Face LLaVA <c>config.json</c> form: <c>text_config</c> (LLaMA),
/// <c>vision_config</c> (CLIP ViT), the projector activation, which vision layer feeds the connector and whether the
/// class token is kept, and the id of the image placeholder token.
/// </summary>
public sealed class MultimodalConfig
{
    /// <summary>JSON settings used for config files (indented, nulls left out).</summary>
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The decoder.</summary>
    [JsonPropertyName("text_config")] public LlamaConfig TextConfig { get; set; } = new();

    /// <summary>The vision encoder.</summary>
    [JsonPropertyName("vision_config")] public VisionConfig VisionConfig { get; set; } = new();

    /// <summary>Connector activation between its two linear layers ("gelu").</summary>
    [JsonPropertyName("projector_hidden_act")] public string ProjectorHiddenAct { get; set; } = "gelu";

    /// <summary>Vision layer whose output feeds the connector: negative counts from the end (-1 = last block, -2 = the one before; LLaVA-1.5 uses -2).</summary>
    [JsonPropertyName("vision_feature_layer")] public int VisionFeatureLayer { get; set; } = -2;

    /// <summary>"default" drops the class token (patch tokens only); "full" keeps it; "pooled" (ours) gives the mean patch token plus the class token.</summary>
    [JsonPropertyName("vision_feature_select_strategy")] public string VisionFeatureSelectStrategy { get; set; } = "default";

    /// <summary>Token id of the image placeholder that image tokens replace in the prompt.</summary>
    [JsonPropertyName("image_token_index")] public int ImageTokenIndex { get; set; } = 32000;

    /// <summary>"llava".</summary>
    [JsonPropertyName("model_type")] public string ModelType { get; set; } = "llava";

    /// <summary>Architectures as Hugging Face names them.</summary>
    [JsonPropertyName("architectures")] public string[] Architectures { get; set; } = ["LlavaForConditionalGeneration"];

    /// <summary>Image tokens one image becomes.</summary>
    [JsonIgnore]
    public int ImageTokenCount => VisionFeatureSelectStrategy switch
    {
        "full" => VisionConfig.PatchCount + 1,
        "pooled" => 2,
        _ => VisionConfig.PatchCount,
    };

    /// <summary>Checks both parts and the joints between them.</summary>
    /// <exception cref="ArgumentException">A part is invalid, the feature layer does not exist, or the placeholder id is outside the vocabulary.</exception>
    public void Validate()
    {
        TextConfig.Validate();
        VisionConfig.Validate();
        int layers = VisionConfig.NumHiddenLayers;
        if (VisionFeatureLayer == 0 || VisionFeatureLayer < -layers || VisionFeatureLayer > layers)
            throw new ArgumentException($"vision_feature_layer {VisionFeatureLayer} is outside 1..{layers} or -{layers}..-1.");
        if (VisionFeatureSelectStrategy is not ("default" or "full" or "pooled"))
            throw new ArgumentException($"vision_feature_select_strategy '{VisionFeatureSelectStrategy}' is not default, full or pooled.");
        if (ProjectorHiddenAct != "gelu") throw new ArgumentException($"projector_hidden_act '{ProjectorHiddenAct}' is not supported (gelu).");
        if (ImageTokenIndex < 0 || ImageTokenIndex >= TextConfig.VocabSize)
            throw new ArgumentException($"image_token_index {ImageTokenIndex} is outside the vocabulary (0..{TextConfig.VocabSize - 1}).");
    }

    /// <summary>Blocks of the vision tower that run (those after the feature layer are skipped).</summary>
    [JsonIgnore] public int VisionLayersUsed => VisionFeatureLayer > 0 ? VisionFeatureLayer : VisionConfig.NumHiddenLayers + 1 + VisionFeatureLayer;

    /// <summary>Parameters of the connector (two linear layers with biases).</summary>
    public long ProjectorParameterCount()
    {
        long v = VisionConfig.HiddenSize, d = TextConfig.HiddenSize;
        return v * d + d + d * d + d;
    }

    /// <summary>Parameter counts by part, from the shape alone (nothing is allocated).</summary>
    public ParameterBreakdown CountParameters() => new(
        VisionConfig.ParameterCount(), ProjectorParameterCount(), TextConfig.EmbeddingParameterCount(),
        TextConfig.NumHiddenLayers * TextConfig.BlockParameterCount(), TextConfig.HiddenSize, TextConfig.LmHeadParameterCount());

    /// <summary>Reads a <c>config.json</c>: a LLaVA config, or a bare LLaMA config (then the vision part keeps its defaults and must be given separately).</summary>
    /// <exception cref="FormatException">The file is not a JSON object of a supported model type.</exception>
    public static MultimodalConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses config JSON (<paramref name="source"/> names it in errors).</summary>
    /// <exception cref="FormatException">Not a JSON object, or a model type other than llava/llama.</exception>
    public static MultimodalConfig Parse(string json, string source = "config.json")
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException($"{source} is not a JSON object.");
            string type = doc.RootElement.TryGetProperty("model_type", out var t) ? t.GetString() ?? "" : "";
            if (type == "llama")
                return new MultimodalConfig { TextConfig = doc.RootElement.Deserialize<LlamaConfig>()! };
            if (type != "llava") throw new FormatException($"{source}: model_type '{type}' is not supported (llava, llama).");
            return doc.RootElement.Deserialize<MultimodalConfig>()!;
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source} is not valid config JSON: {e.Message}", e);
        }
    }

    /// <summary>Writes the config as <c>config.json</c> JSON.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
}
