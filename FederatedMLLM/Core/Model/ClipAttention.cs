using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Model;

/// <summary>Bidirectional multi-head self-attention of a ViT block (CLIP names: <c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c>, <c>out_proj</c>, with biases).</summary>
public sealed class ClipAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear out_proj;
    private readonly int _heads;

    /// <summary>Creates the attention for <paramref name="config"/>.</summary>
    public ClipAttention(string name, VisionConfig config) : base(name)
    {
        _heads = config.NumAttentionHeads;
        long d = config.HiddenSize;
        q_proj = nn.Linear(d, d);
        k_proj = nn.Linear(d, d);
        v_proj = nn.Linear(d, d);
        out_proj = nn.Linear(d, d);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], length = x.shape[1], d = x.shape[2], width = d / _heads;
        Tensor Split(Tensor t) => t.view(batch, length, _heads, width).transpose(1, 2);
        var q = Split(q_proj.forward(x));
        var k = Split(k_proj.forward(x));
        var v = Split(v_proj.forward(x));
        var weights = (q.matmul(k.transpose(-2, -1)) / Math.Sqrt(width)).softmax(-1);
        return out_proj.forward(weights.matmul(v).transpose(1, 2).reshape(batch, length, d)).MoveToOuterDisposeScope();
    }
}
