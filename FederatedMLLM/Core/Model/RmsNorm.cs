using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Model;

/// <summary>Root-mean-square layer norm (Zhang &amp; Sennrich 2019) as LLaMA uses it: x / rms(x) · weight, computed in float32.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double _eps;

    /// <summary>Creates the norm over the last dimension of width <paramref name="width"/>, weight 1.</summary>
    public RmsNorm(string name, long width, double eps) : base(name)
    {
        weight = new Parameter(ones(width));
        _eps = eps;
        RegisterComponents();
    }

    /// <summary>The learned scale.</summary>
    public Parameter Weight => weight;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.to(ScalarType.Float32);
        var normalised = x * rsqrt(x.pow(2).mean([-1L], keepdim: true) + _eps);
        return (weight * normalised.to(input.dtype)).MoveToOuterDisposeScope();
    }
}
