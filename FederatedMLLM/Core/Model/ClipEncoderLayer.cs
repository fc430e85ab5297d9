using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Model;

/// <summary>One pre-norm ViT block: x + attn(ln1(x)), then + mlp(ln2(x)), with CLIP's names (<c>layer_norm1</c>, <c>self_attn</c>, <c>layer_norm2</c>, <c>mlp.fc1</c>, <c>mlp.fc2</c>).</summary>
public sealed class ClipEncoderLayer : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm layer_norm1;
    private readonly ClipAttention self_attn;
    private readonly LayerNorm layer_norm2;
    private readonly ClipMlp mlp;

    /// <summary>Creates the block for <paramref name="config"/>.</summary>
    public ClipEncoderLayer(string name, VisionConfig config) : base(name)
    {
        layer_norm1 = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        self_attn = new ClipAttention("self_attn", config);
        layer_norm2 = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        mlp = new ClipMlp("mlp", config);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x + self_attn.forward(layer_norm1.forward(x));
        return (h + mlp.forward(layer_norm2.forward(h))).MoveToOuterDisposeScope();
    }
}

/// <summary>The ViT block's MLP: fc2(act(fc1(x))) with quick-GELU (x·σ(1.702x), CLIP's) or GELU.</summary>
public sealed class ClipMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly bool _quickGelu;

    /// <summary>Creates the MLP for <paramref name="config"/>.</summary>
    public ClipMlp(string name, VisionConfig config) : base(name)
    {
        fc1 = nn.Linear(config.HiddenSize, config.IntermediateSize);
        fc2 = nn.Linear(config.IntermediateSize, config.HiddenSize);
        _quickGelu = config.HiddenAct == "quick_gelu";
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = fc1.forward(x);
        h = _quickGelu ? h * sigmoid(1.702 * h) : nn.functional.gelu(h);
        return fc2.forward(h).MoveToOuterDisposeScope();
    }
}
