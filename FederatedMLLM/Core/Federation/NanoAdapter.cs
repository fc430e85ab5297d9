using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Federation;

/// <summary>
/// A NanoAdapter: the residual low-rank block h ← h + (α/r)·B(A(h)) in the LLM's input space, A: d→r, B: r→d.
/// B starts at zero so a fresh adapter is the identity and the base model's answers are unchanged until it learns.
/// </summary>
public sealed class NanoAdapter : nn.Module<Tensor, Tensor>
{
    private readonly Linear down;
    private readonly Linear up;

    /// <summary>An adapter of width <paramref name="width"/> and rank <paramref name="rank"/>, scaled by α/r.</summary>
    public NanoAdapter(string name, int width, int rank, double alpha) : base(name)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), "Width must be ≥ 1.");
        if (rank < 1) throw new ArgumentOutOfRangeException(nameof(rank), "Rank must be ≥ 1.");
        Width = width;
        Rank = rank;
        Scale = alpha / rank;
        down = nn.Linear(width, rank, hasBias: false);
        up = nn.Linear(rank, width, hasBias: false);
        RegisterComponents();
        using var noGrad = no_grad();
        // A as in LoRA (Kaiming-uniform, bound 1/√d); B zero.
        double bound = 1 / Math.Sqrt(width);
        down.weight!.uniform_(-bound, bound);
        up.weight!.zero_();
    }

    /// <summary>Token width d.</summary>
    public int Width { get; }

    /// <summary>Rank r.</summary>
    public int Rank { get; }

    /// <summary>α / r.</summary>
    public double Scale { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = input + Scale * up.forward(down.forward(input.to(down.weight!.dtype))).to(input.dtype);
        return h.MoveToOuterDisposeScope();
    }
}
