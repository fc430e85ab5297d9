using System.Runtime.InteropServices;
using FedNano.Reconstruction.Analytic;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Networks;

/// <summary>
/// Fan-beam backprojection as a custom autograd function over the C# kernel: forward runs
/// <see cref="FanBeamBackprojector.BackprojectInto(FanBeamGeometry, ReadOnlySpan{float}, ImageGrid2D, Span{float}, double)"/>
/// on the tensor's memory, backward its exact adjoint <see cref="FanBeamBackprojector.AdjointInto(FanBeamGeometry, ReadOnlySpan{float}, ImageGrid2D, Span{float}, double)"/>.
/// Filtered sinograms [B, views, channels] → images [B, Size, Size]; float32 CPU tensors only (copied when not contiguous).
/// Batch items run one after another, each parallel inside the kernel (over image rows forward, views backward).
/// First-order gradients only: the backward is not itself differentiable.
/// </summary>
internal sealed class FanBeamKernelBackprojection : autograd.SingleTensorFunction<FanBeamKernelBackprojection>
{
    private const string ProjectionKey = "projection";

    /// <inheritdoc/>
    public override string Name => nameof(FanBeamKernelBackprojection);

    /// <summary>Backprojects <paramref name="filtered"/> [B, views, channels] into [B, Size, Size], recording the adjoint for autograd.</summary>
    public static Tensor Apply(Tensor filtered, FanBeamProjectionSetup setup) => apply(filtered, setup);

    /// <inheritdoc/>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var filtered = (Tensor)vars[0];
        var setup = (FanBeamProjectionSetup)vars[1];
        ctx.save_data(ProjectionKey, setup);
        return Backproject(filtered, setup);
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var setup = (FanBeamProjectionSetup)ctx.get_data(ProjectionKey);
        return [Adjoint(grad_output, setup), null!];
    }

    /// <summary>The backprojection without autograd: [B, views, channels] → new [B, Size, Size].</summary>
    internal static Tensor Backproject(Tensor filtered, FanBeamProjectionSetup setup)
    {
        var geometry = setup.Geometry;
        int size = setup.Grid.Size;
        RequireCpuFloat(filtered, [filtered.shape[0], geometry.Views, geometry.Channels]);
        long batch = filtered.shape[0];
        var image = zeros([batch, size, size], ScalarType.Float32);
        using var source = filtered.contiguous();
        for (long item = 0; item < batch; item++)
        {
            using var sinogram = source[item];
            using var slice = image[item];
            FanBeamBackprojector.BackprojectInto(geometry, MemoryMarshal.Cast<byte, float>(sinogram.bytes), setup.Grid,
                MemoryMarshal.Cast<byte, float>(slice.bytes), setup.Scale);
        }
        return image;
    }

    /// <summary>The transpose of <see cref="Backproject"/>: [B, Size, Size] (or [B, 1, Size, Size]) → new [B, views, channels].</summary>
    internal static Tensor Adjoint(Tensor image, FanBeamProjectionSetup setup)
    {
        var geometry = setup.Geometry;
        int size = setup.Grid.Size;
        long batch = image.shape[0];
        RequireCpuFloat(image, [batch, (long)size * size]);
        var sinogram = zeros([batch, geometry.Views, geometry.Channels], ScalarType.Float32);
        using var source = image.reshape(batch, (long)size * size).contiguous();
        for (long item = 0; item < batch; item++)
        {
            using var pixels = source[item];
            using var slice = sinogram[item];
            FanBeamBackprojector.AdjointInto(geometry, MemoryMarshal.Cast<byte, float>(pixels.bytes), setup.Grid,
                MemoryMarshal.Cast<byte, float>(slice.bytes), setup.Scale);
        }
        return sinogram;
    }

    private static void RequireCpuFloat(Tensor tensor, long[] shape)
    {
        if (tensor.device_type != DeviceType.CPU || tensor.dtype != ScalarType.Float32 || tensor.numel() != shape.Aggregate(1L, (p, d) => p * d))
        {
            throw new ArgumentException(
                $"The kernel backprojection needs a float32 CPU tensor of [{string.Join(", ", shape)}] values; got {tensor.dtype} on {tensor.device} shaped [{string.Join(", ", tensor.shape)}].");
        }
    }
}
