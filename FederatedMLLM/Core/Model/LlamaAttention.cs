using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Model;

/// <summary>
/// LLaMA self-attention: rotary positions, grouped-query attention (each key/value head serves
/// heads / kv-heads query heads), causal mask, optional KV cache. Projection names follow Hugging Face
/// (<c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c>, <c>o_proj</c>).
/// </summary>
public sealed class LlamaAttention : nn.Module
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headWidth;

    /// <summary>Creates the block's attention for <paramref name="config"/>.</summary>
    public LlamaAttention(string name, LlamaConfig config) : base(name)
    {
        _heads = config.NumAttentionHeads;
        _kvHeads = config.KeyValueHeads;
        _headWidth = config.HeadWidth;
        long d = config.HiddenSize;
        q_proj = nn.Linear(d, (long)_heads * _headWidth, hasBias: config.AttentionBias);
        k_proj = nn.Linear(d, (long)_kvHeads * _headWidth, hasBias: config.AttentionBias);
        v_proj = nn.Linear(d, (long)_kvHeads * _headWidth, hasBias: config.AttentionBias);
        o_proj = nn.Linear((long)_heads * _headWidth, d, hasBias: config.AttentionBias);
        RegisterComponents();
    }

    /// <summary>[B, T, d] → [B, T, d] for tokens at absolute positions given by the rotary tables; <paramref name="cache"/> holds earlier tokens.</summary>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, KvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], length = x.shape[1];
        var q = q_proj.forward(x).view(batch, length, _heads, _headWidth).transpose(1, 2);
        var k = k_proj.forward(x).view(batch, length, _kvHeads, _headWidth).transpose(1, 2);
        var v = v_proj.forward(x).view(batch, length, _kvHeads, _headWidth).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        if (cache is not null) (k, v) = cache.Append(layer, k, v);
        if (_heads != _kvHeads)
        {
            k = k.repeat_interleave(_heads / _kvHeads, dim: 1);
            v = v.repeat_interleave(_heads / _kvHeads, dim: 1);
        }
        long keys = k.shape[2];
        // Scalars held in locals until the method ends: a temporary Scalar can be finalised while the native call still
        // reads it (seen as "toFloat: Expected false to be true" under concurrent split-compute calls).
        using var scale = Math.Sqrt(_headWidth).ToScalar();
        using var masked = float.NegativeInfinity.ToScalar();
        var scores = q.matmul(k.transpose(-2, -1)).div(scale);
        if (length > 1)
        {
            // Query i sits at absolute position (keys - length + i) and may see keys up to it.
            var future = ones(length, keys, ScalarType.Bool, x.device).triu(keys - length + 1);
            scores = scores.masked_fill(future, masked);
        }
        var weights = scores.to(ScalarType.Float32).softmax(-1).to(q.dtype);
        var mixed = weights.matmul(v).transpose(1, 2).reshape(batch, length, (long)_heads * _headWidth);
        return o_proj.forward(mixed).MoveToOuterDisposeScope();
    }
}
