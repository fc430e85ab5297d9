using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Model;

/// <summary>
/// Rotary position embedding (Su et al. 2021) in the Hugging Face LLaMA layout: frequencies θ^(−2i/d) for the pairs
/// (x[i], x[i + d/2]), applied as x·cos + rotate_half(x)·sin.
/// </summary>
public static class RotaryEmbedding
{
    /// <summary>cos and sin tables [T, headWidth] for absolute positions <paramref name="start"/> … start + length − 1.</summary>
    public static (Tensor Cos, Tensor Sin) Tables(long start, long length, int headWidth, double theta, Device device, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var inverse = 1.0 / pow(theta, arange(0, headWidth, 2, ScalarType.Float64, device) / headWidth);
        var positions = arange(start, start + length, 1, ScalarType.Float64, device);
        var angles = outer(positions, inverse);
        var both = cat([angles, angles], -1);
        return (both.cos().to(dtype).MoveToOuterDisposeScope(), both.sin().to(dtype).MoveToOuterDisposeScope());
    }

    /// <summary>Rotates <paramref name="x"/> [B, H, T, d] by the tables (broadcast over batch and heads).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        var first = x[.., .., .., ..(int)half];
        var second = x[.., .., .., (int)half..];
        var rotated = cat([-second, first], -1);
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }
}
