using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Model;

/// <summary>
/// A LLaMA-family decoder LLM (Touvron et al. 2023): token embeddings, pre-norm blocks with RMSNorm, rotary
/// positions, SwiGLU and grouped-query attention, a final RMSNorm and an LM head (tied to the embeddings or not).
/// Parameter names are Hugging Face's (<c>model.layers.0.self_attn.q_proj.weight</c>, <c>lm_head.weight</c>), so
/// a LLaMA checkpoint loads as is.
/// </summary>
/// <remarks>
/// FedNano splits it in two: <see cref="Embed"/> and <see cref="Head"/> run at a site; <see cref="RunBlocks"/> is the
/// part only the server holds.
/// </remarks>
public sealed class LlamaForCausalLM : nn.Module
{
    private readonly LlamaModel model;
    private readonly Linear? lm_head;

    /// <summary>Creates the decoder (random initialisation) for <paramref name="config"/>.</summary>
    /// <exception cref="ArgumentException">The config is invalid.</exception>
    public LlamaForCausalLM(string name, LlamaConfig config) : base(name)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        model = new LlamaModel("model", config);
        if (!config.TieWordEmbeddings) lm_head = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        RegisterComponents();
        InitialiseWeights();
    }

    /// <summary>The shape.</summary>
    public LlamaConfig Config { get; }

    /// <summary>The body (embeddings, blocks, final norm).</summary>
    public LlamaModel Body => model;

    /// <summary>Token ids [B, T] → embeddings [B, T, d].</summary>
    public Tensor Embed(Tensor inputIds) => model.EmbedTokens.forward(inputIds);

    /// <summary>
    /// The transformer blocks: embeddings [B, T, d] of the tokens after those in <paramref name="cache"/> (position 0
    /// without one) → final hidden states before the norm.
    /// </summary>
    public Tensor RunBlocks(Tensor inputsEmbeds, KvCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(inputsEmbeds);
        using var scope = NewDisposeScope();
        long start = cache?.Length ?? 0, length = inputsEmbeds.shape[1];
        if (start + length > Config.MaxPositionEmbeddings)
            throw new ArgumentException($"Sequence of {start + length} tokens is longer than max_position_embeddings {Config.MaxPositionEmbeddings}.", nameof(inputsEmbeds));
        var (cos, sin) = RotaryEmbedding.Tables(start, length, Config.HeadWidth, Config.RopeTheta, inputsEmbeds.device, inputsEmbeds.dtype);
        var h = inputsEmbeds;
        for (int i = 0; i < model.Layers.Count; i++) h = model.Layers[i].Forward(h, cos, sin, cache, i);
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>Final hidden states [B, T, d] → logits [B, T, vocab] (final norm, then the LM head).</summary>
    public Tensor Head(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var normed = model.Norm.forward(hidden);
        var logits = lm_head is not null ? lm_head.forward(normed) : nn.functional.linear(normed, model.EmbedTokens.weight!);
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>The whole decoder: embeddings → logits.</summary>
    public Tensor Forward(Tensor inputsEmbeds, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        return Head(RunBlocks(inputsEmbeds, cache)).MoveToOuterDisposeScope();
    }

    /// <summary>LLaMA's initialisation: normal(0, 0.02) for linear and embedding weights, zeros for biases, ones for norms.</summary>
    private void InitialiseWeights()
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("layernorm.weight", StringComparison.Ordinal) || name.EndsWith("norm.weight", StringComparison.Ordinal)) continue;
            if (name.EndsWith(".bias", StringComparison.Ordinal)) parameter.zero_();
            else parameter.normal_(0, 0.02);
        }
    }
}
