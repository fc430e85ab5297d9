using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Model;

/// <summary>One pre-norm LLaMA block: x + attn(norm(x)), then + mlp(norm(x)).</summary>
public sealed class LlamaDecoderLayer : nn.Module
{
    private readonly RmsNorm input_layernorm;
    private readonly LlamaAttention self_attn;
    private readonly RmsNorm post_attention_layernorm;
    private readonly LlamaMlp mlp;

    /// <summary>Creates the block for <paramref name="config"/>.</summary>
    public LlamaDecoderLayer(string name, LlamaConfig config) : base(name)
    {
        input_layernorm = new RmsNorm("input_layernorm", config.HiddenSize, config.RmsNormEps);
        self_attn = new LlamaAttention("self_attn", config);
        post_attention_layernorm = new RmsNorm("post_attention_layernorm", config.HiddenSize, config.RmsNormEps);
        mlp = new LlamaMlp("mlp", config);
        RegisterComponents();
    }

    /// <summary>[B, T, d] → [B, T, d].</summary>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, KvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        var h = x + self_attn.Forward(input_layernorm.forward(x), cos, sin, cache, layer);
        return (h + mlp.forward(post_attention_layernorm.forward(h))).MoveToOuterDisposeScope();
    }
}
