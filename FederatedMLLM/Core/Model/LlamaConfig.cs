using System.Text.Json.Serialization;

namespace FedNano.FederatedMLLM.Model;

/// <summary>
/// The decoder's shape, read from and written to a Hugging Face <c>config.json</c> (<c>LlamaConfig</c> keys; the
/// defaults are that class's defaults, so a sparse <c>text_config</c> of a LLaVA checkpoint means the same here).
/// </summary>
public sealed class LlamaConfig
{
    /// <summary>Tokens in the vocabulary.</summary>
    [JsonPropertyName("vocab_size")] public int VocabSize { get; set; } = 32000;

    /// <summary>Model width d.</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; set; } = 4096;

    /// <summary>SwiGLU inner width.</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; set; } = 11008;

    /// <summary>Transformer blocks.</summary>
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; set; } = 32;

    /// <summary>Query heads.</summary>
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; set; } = 32;

    /// <summary>Key/value heads (grouped-query attention); null means one per query head.</summary>
    [JsonPropertyName("num_key_value_heads")] public int? NumKeyValueHeads { get; set; }

    /// <summary>Width of one head; null means hidden / heads.</summary>
    [JsonPropertyName("head_dim")] public int? HeadDim { get; set; }

    /// <summary>Longest sequence the rotary tables cover.</summary>
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; set; } = 2048;

    /// <summary>RMSNorm ε.</summary>
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; set; } = 1e-6;

    /// <summary>Rotary base θ.</summary>
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; set; } = 10000;

    /// <summary>Whether the LM head reuses the token-embedding matrix.</summary>
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; set; }

    /// <summary>MLP activation; LLaMA uses "silu" (SwiGLU).</summary>
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; set; } = "silu";

    /// <summary>Whether q/k/v/o projections have biases (false for LLaMA).</summary>
    [JsonPropertyName("attention_bias")] public bool AttentionBias { get; set; }

    /// <summary>Whether the MLP projections have biases (false for LLaMA).</summary>
    [JsonPropertyName("mlp_bias")] public bool MlpBias { get; set; }

    /// <summary>Beginning-of-sequence token id.</summary>
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; set; } = 1;

    /// <summary>End-of-sequence token id.</summary>
    [JsonPropertyName("eos_token_id")] public int? EosTokenId { get; set; } = 2;

    /// <summary>Padding token id, when the checkpoint has one.</summary>
    [JsonPropertyName("pad_token_id")] public int? PadTokenId { get; set; }

    /// <summary>The dtype the weights were saved in ("float32", "bfloat16", "float16").</summary>
    [JsonPropertyName("torch_dtype")] public string? TorchDtype { get; set; }

    /// <summary>"llama".</summary>
    [JsonPropertyName("model_type")] public string ModelType { get; set; } = "llama";

    /// <summary>Key/value heads in force.</summary>
    [JsonIgnore] public int KeyValueHeads => NumKeyValueHeads ?? NumAttentionHeads;

    /// <summary>Head width in force.</summary>
    [JsonIgnore] public int HeadWidth => HeadDim ?? HiddenSize / NumAttentionHeads;

    /// <summary>Checks that the shape is buildable.</summary>
    /// <exception cref="ArgumentException">A size is not positive, the heads do not divide the width, or the query heads are not a multiple of the key/value heads.</exception>
    public void Validate()
    {
        if (VocabSize < 1 || HiddenSize < 1 || IntermediateSize < 1 || NumHiddenLayers < 1 || NumAttentionHeads < 1 || MaxPositionEmbeddings < 1)
            throw new ArgumentException("LLaMA config: vocab_size, hidden_size, intermediate_size, num_hidden_layers, num_attention_heads and max_position_embeddings must be positive.");
        if (HeadDim is null && HiddenSize % NumAttentionHeads != 0)
            throw new ArgumentException($"LLaMA config: hidden_size {HiddenSize} is not a multiple of num_attention_heads {NumAttentionHeads}.");
        if (HeadWidth % 2 != 0) throw new ArgumentException($"LLaMA config: the head width {HeadWidth} must be even for rotary embeddings.");
        if (KeyValueHeads < 1 || NumAttentionHeads % KeyValueHeads != 0)
            throw new ArgumentException($"LLaMA config: num_attention_heads {NumAttentionHeads} is not a multiple of num_key_value_heads {KeyValueHeads}.");
        if (!(RmsNormEps > 0) || !(RopeTheta > 1)) throw new ArgumentException("LLaMA config: rms_norm_eps must be > 0 and rope_theta > 1.");
        if (HiddenAct != "silu") throw new ArgumentException($"LLaMA config: hidden_act '{HiddenAct}' is not supported (silu).");
    }

    /// <summary>Parameters of one transformer block (attention, MLP, two norms).</summary>
    public long BlockParameterCount()
    {
        long d = HiddenSize, q = (long)NumAttentionHeads * HeadWidth, kv = (long)KeyValueHeads * HeadWidth, m = IntermediateSize;
        long attention = d * q + 2 * d * kv + q * d + (AttentionBias ? q + 2 * kv + d : 0);
        long mlp = 3 * d * m + (MlpBias ? 2 * m + d : 0);
        return attention + mlp + 2 * d;
    }

    /// <summary>Parameters of the token embeddings.</summary>
    public long EmbeddingParameterCount() => (long)VocabSize * HiddenSize;

    /// <summary>Parameters of the LM head (0 when tied to the embeddings).</summary>
    public long LmHeadParameterCount() => TieWordEmbeddings ? 0 : (long)VocabSize * HiddenSize;

    /// <summary>All parameters, computed from the shape alone (nothing is allocated).</summary>
    public long ParameterCount() => EmbeddingParameterCount() + NumHiddenLayers * BlockParameterCount() + HiddenSize + LmHeadParameterCount();
}
