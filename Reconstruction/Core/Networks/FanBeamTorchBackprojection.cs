using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Networks;

/// <summary>
/// Fan-beam backprojection in pure torch operations, as a custom autograd function: forward gathers the two
/// interpolated channels of every (view, pixel) in chunks of views; backward scatter-adds the image gradient back
/// with the same weights (recomputing the coordinates, so nothing per pixel is kept between the passes).
/// Filtered sinograms [B, views, channels] → images [B, Size, Size], float32 on any device.
/// First-order gradients only: the backward is not itself differentiable.
/// </summary>
internal sealed class FanBeamTorchBackprojection : autograd.SingleTensorFunction<FanBeamTorchBackprojection>
{
    private const string SamplingKey = "sampling";

    /// <inheritdoc/>
    public override string Name => nameof(FanBeamTorchBackprojection);

    /// <summary>Backprojects <paramref name="filtered"/> [B, views, channels] into [B, Size, Size], recording the adjoint for autograd.</summary>
    public static Tensor Apply(Tensor filtered, Tensor viewCos, Tensor viewSin, FanBeamTorchSampling sampling) =>
        apply(filtered, viewCos, viewSin, sampling);

    /// <inheritdoc/>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var filtered = (Tensor)vars[0];
        var viewCos = (Tensor)vars[1];
        var viewSin = (Tensor)vars[2];
        var sampling = (FanBeamTorchSampling)vars[3];
        ctx.save_for_backward([viewCos, viewSin]);
        ctx.save_data(SamplingKey, sampling);
        return Backproject(filtered, viewCos, viewSin, sampling);
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var sampling = (FanBeamTorchSampling)ctx.get_data(SamplingKey);
        var saved = ctx.get_saved_variables();
        try
        {
            return [Adjoint(grad_output, saved[0], saved[1], sampling), null!, null!, null!];
        }
        finally
        {
            saved.ForEach(t => t.Dispose());
        }
    }

    /// <summary>The backprojection without autograd: [B, views, channels] → new [B, Size, Size].</summary>
    internal static Tensor Backproject(Tensor filtered, Tensor viewCos, Tensor viewSin, FanBeamTorchSampling sampling)
    {
        long batch = filtered.shape[0];
        long pixels = (long)sampling.Size * sampling.Size;
        var image = zeros([batch, pixels], ScalarType.Float32, filtered.device);
        using (var scope = NewDisposeScope())
        {
            var flat = filtered.reshape(batch, (long)sampling.Views * sampling.Channels);
            int chunk = sampling.ViewsPerChunk(batch, filtered.device_type);
            for (int first = 0; first < sampling.Views; first += chunk)
            {
                using var step = NewDisposeScope();
                int count = Math.Min(chunk, sampling.Views - first);
                var (lowerIndex, lowerWeight, upperWeight) = sampling.Sample(viewCos, viewSin, first, count);
                var value = flat.index_select(1, lowerIndex).mul_(lowerWeight)
                    .addcmul_(flat.index_select(1, lowerIndex + 1), upperWeight, 1);
                image.add_(value.view(batch, count, pixels).sum(1));
            }
        }
        return image.view(batch, sampling.Size, sampling.Size);
    }

    /// <summary>The transpose of <see cref="Backproject"/>: [B, Size, Size] (or [B, 1, Size, Size]) → new [B, views, channels].</summary>
    internal static Tensor Adjoint(Tensor image, Tensor viewCos, Tensor viewSin, FanBeamTorchSampling sampling)
    {
        long batch = image.shape[0];
        long pixels = (long)sampling.Size * sampling.Size;
        var sinogram = zeros([batch, (long)sampling.Views * sampling.Channels], ScalarType.Float32, image.device);
        using (var scope = NewDisposeScope())
        {
            var gradient = image.reshape(batch, 1, pixels);
            int chunk = sampling.ViewsPerChunk(batch, image.device_type);
            for (int first = 0; first < sampling.Views; first += chunk)
            {
                using var step = NewDisposeScope();
                int count = Math.Min(chunk, sampling.Views - first);
                var (lowerIndex, lowerWeight, upperWeight) = sampling.Sample(viewCos, viewSin, first, count);
                var lowerShare = (gradient * lowerWeight.view(1, count, pixels)).view(batch, count * pixels);
                sinogram.index_add_(1, lowerIndex, lowerShare, 1);
                var upperShare = (gradient * upperWeight.view(1, count, pixels)).view(batch, count * pixels);
                sinogram.index_add_(1, lowerIndex + 1, upperShare, 1);
            }
        }
        return sinogram.view(batch, sampling.Views, sampling.Channels);
    }
}
