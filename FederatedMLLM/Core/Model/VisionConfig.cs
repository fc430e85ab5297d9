using System.Text.Json.Serialization;

namespace FedNano.FederatedMLLM.Model;

/// <summary>
/// The ViT vision encoder's shape, in Hugging Face <c>CLIPVisionConfig</c> keys (defaults are that class's), plus the
/// number of input channels: 3 for photographs, 1 for a CT slice, k for a stack of k slices.
/// </summary>
public sealed class VisionConfig
{
    /// <summary>Token width.</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; set; } = 768;

    /// <summary>MLP inner width.</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; set; } = 3072;

    /// <summary>Transformer blocks.</summary>
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; set; } = 12;

    /// <summary>Attention heads.</summary>
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; set; } = 12;

    /// <summary>Input side in pixels (square).</summary>
    [JsonPropertyName("image_size")] public int ImageSize { get; set; } = 224;

    /// <summary>Patch side in pixels.</summary>
    [JsonPropertyName("patch_size")] public int PatchSize { get; set; } = 32;

    /// <summary>Input channels.</summary>
    [JsonPropertyName("num_channels")] public int NumChannels { get; set; } = 3;

    /// <summary>LayerNorm ε.</summary>
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; set; } = 1e-5;

    /// <summary>MLP activation: "quick_gelu" (CLIP) or "gelu".</summary>
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; set; } = "quick_gelu";

    /// <summary>
    /// How pixels become patch tokens: "patchify" (CLIP: one linear map per patch, a strided convolution) or
    /// "conv_stem" (log₂(patch_size) stride-2 3×3 convolutions with GELU, then a 1×1 projection — Xiao et al. 2021,
    /// "Early convolutions help transformers see better": a ViT trained from scratch on little data learns small
    /// local structure such as nodules far more easily). Public CLIP checkpoints are "patchify".
    /// </summary>
    [JsonPropertyName("patch_embedding_type")] public string PatchEmbeddingType { get; set; } = "patchify";

    /// <summary>"clip_vision_model".</summary>
    [JsonPropertyName("model_type")] public string ModelType { get; set; } = "clip_vision_model";

    /// <summary>Output channels of the convolutional stem's stride-2 layers (conv_stem only): doubling up to the token width.</summary>
    [JsonIgnore]
    public int[] StemChannels
    {
        get
        {
            int layers = (int)Math.Round(Math.Log2(PatchSize));
            return Enumerable.Range(0, layers).Select(i => Math.Max(1, HiddenSize >> (layers - 1 - i))).ToArray();
        }
    }

    /// <summary>Patches per side.</summary>
    [JsonIgnore] public int PatchesPerSide => ImageSize / PatchSize;

    /// <summary>Patch tokens (without the class token).</summary>
    [JsonIgnore] public int PatchCount => PatchesPerSide * PatchesPerSide;

    /// <summary>Checks that the shape is buildable.</summary>
    /// <exception cref="ArgumentException">A size is not positive, the patch does not tile the image, or the heads do not divide the width.</exception>
    public void Validate()
    {
        if (HiddenSize < 1 || IntermediateSize < 1 || NumHiddenLayers < 1 || NumAttentionHeads < 1 || ImageSize < 1 || PatchSize < 1 || NumChannels < 1)
            throw new ArgumentException("Vision config: every size must be positive.");
        if (ImageSize % PatchSize != 0) throw new ArgumentException($"Vision config: patch_size {PatchSize} does not tile image_size {ImageSize}.");
        if (HiddenSize % NumAttentionHeads != 0) throw new ArgumentException($"Vision config: hidden_size {HiddenSize} is not a multiple of num_attention_heads {NumAttentionHeads}.");
        if (HiddenAct is not ("quick_gelu" or "gelu")) throw new ArgumentException($"Vision config: hidden_act '{HiddenAct}' is not supported (quick_gelu, gelu).");
        if (PatchEmbeddingType is not ("patchify" or "conv_stem")) throw new ArgumentException($"Vision config: patch_embedding_type '{PatchEmbeddingType}' is not supported (patchify, conv_stem).");
        if (PatchEmbeddingType == "conv_stem" && (PatchSize < 2 || (PatchSize & (PatchSize - 1)) != 0))
            throw new ArgumentException($"Vision config: a conv_stem needs a power-of-two patch_size ≥ 2, got {PatchSize}.");
        if (!(LayerNormEps > 0)) throw new ArgumentException("Vision config: layer_norm_eps must be > 0.");
    }

    /// <summary>Parameters of the vision tower (embeddings, pre-norm, blocks, post-norm), from the shape alone.</summary>
    public long ParameterCount()
    {
        long d = HiddenSize, m = IntermediateSize;
        long patches = (long)NumChannels * PatchSize * PatchSize * d;
        if (PatchEmbeddingType == "conv_stem")
        {
            patches = 0;
            long input = NumChannels;
            foreach (int c in StemChannels) { patches += input * 9 * c + c; input = c; }
            patches += input * d; // 1×1 projection, no bias
        }
        long embeddings = d + patches + (PatchCount + 1L) * d;
        long block = 4 * (d * d + d) + (d * m + m) + (m * d + d) + 4 * d;
        return embeddings + 2 * d + NumHiddenLayers * block + 2 * d;
    }
}
