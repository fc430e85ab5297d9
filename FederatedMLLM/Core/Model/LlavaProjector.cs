using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Model;

/// <summary>The connector of LLaVA-1.5 (Liu et al. 2023): linear → GELU → linear, from the vision width to the LLM width (<c>linear_1</c>, <c>linear_2</c>).</summary>
public sealed class LlavaProjector : nn.Module<Tensor, Tensor>
{
    private readonly Linear linear_1;
    private readonly Linear linear_2;

    /// <summary>Creates the connector.</summary>
    public LlavaProjector(string name, long visionWidth, long textWidth) : base(name)
    {
        linear_1 = nn.Linear(visionWidth, textWidth);
        linear_2 = nn.Linear(textWidth, textWidth);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return linear_2.forward(nn.functional.gelu(linear_1.forward(x))).MoveToOuterDisposeScope();
    }
}
