using FedNano.Reconstruction.Analytic;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Networks;

/// <summary>
/// Where every pixel of the grid samples each view, computed with torch operations on the device of the view
/// angles: the same float32 arithmetic as <see cref="FanBeamBackprojector"/>'s kernel (pixel-driven, linear
/// interpolation between channels, 1/L² or R²/a² distance weight, angular step as quadrature weight).
/// </summary>
/// <remarks>
/// For view β and pixel (x, y): a = R + x·sin β − y·cos β, b = x·cos β + y·sin β; the channel coordinate is
/// atan(b/a)/Δγ + c0 (curved) or R·(b/a)/Δu + c0 (flat). A pixel whose channel falls outside [0, channels − 1], or
/// that lies behind the source, gets weight 0. The arctangent differs from the kernel's polynomial by ≤ 2e-8 rad.
/// </remarks>
internal sealed class FanBeamTorchSampling
{
    private readonly bool _curved;
    private readonly float _r, _invStep, _c0, _lastChannel, _weight, _pixel, _half;

    /// <summary>Prepares the constants of <paramref name="setup"/>.</summary>
    public FanBeamTorchSampling(FanBeamProjectionSetup setup, BackprojectionOptions options)
    {
        var geometry = setup.Geometry;
        Views = geometry.Views;
        Channels = geometry.Channels;
        Size = setup.Grid.Size;
        Options = options;
        _curved = geometry.Shape == DetectorShape.Curved;
        _r = (float)geometry.SourceToIsocenterMm;
        _invStep = _curved
            ? (float)(1.0 / geometry.FanAngleIncrementRad)
            : (float)(geometry.SourceToDetectorMm / (geometry.ChannelSpacingMm * geometry.SourceToIsocenterMm));
        _c0 = (float)(geometry.CentralChannel - 1.0);
        _lastChannel = Channels - 1;
        _weight = (float)(geometry.AngleStepRad * setup.Scale);
        _pixel = (float)setup.Grid.PixelSpacingMm;
        _half = (Size - 1) / 2f;
    }

    /// <summary>Views of the sinogram.</summary>
    public int Views { get; }

    /// <summary>Channels of the sinogram.</summary>
    public int Channels { get; }

    /// <summary>Pixels per side of the image.</summary>
    public int Size { get; }

    /// <summary>The options that bound the step size.</summary>
    public BackprojectionOptions Options { get; }

    /// <summary>Views per step for a batch of <paramref name="batch"/> on a device of <paramref name="deviceType"/> (at least one).</summary>
    public int ViewsPerChunk(long batch, DeviceType deviceType) =>
        (int)Math.Clamp(Options.ChunkElementsFor(deviceType) / (Math.Max(batch, 1) * Size * (long)Size), 1, Views);

    /// <summary>
    /// Sampling of views [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>), flattened
    /// view-major then row-major: the index of each pixel's lower channel in the flattened sinogram (int64; the upper
    /// channel is the next index) and the weights of the lower and upper channel (quadrature × distance weight ×
    /// interpolation weight, 0 where the view does not see the pixel).
    /// </summary>
    /// <param name="viewCos">cos β of every view (float32, on the device to compute on).</param>
    /// <param name="viewSin">sin β of every view.</param>
    /// <param name="first">First view.</param>
    /// <param name="count">Number of views.</param>
    public (Tensor LowerIndex, Tensor LowerWeight, Tensor UpperWeight) Sample(Tensor viewCos, Tensor viewSin, int first, int count)
    {
        var device = viewCos.device;
        var cb = viewCos.narrow(0, first, count).view(count, 1, 1);
        var sb = viewSin.narrow(0, first, count).view(count, 1, 1);
        var steps = arange(Size, ScalarType.Float32, device);
        var y = ((steps - _half) * _pixel).view(1, Size, 1);
        var column = steps.view(1, 1, Size);
        float halfWidth = _half * _pixel;
        // Row start and per-column step of a and b, in the order the kernel evaluates them; then in-place steps on
        // the [count, Size, Size] tensors, which dominate the cost.
        var a0 = (y * cb).neg_().add_(_r).sub_(sb * halfWidth);
        var b0 = (y * sb).sub_(cb * halfWidth);
        var a = a0 + column * (sb * _pixel);
        var b = b0 + column * (cb * _pixel);
        var weight = _curved
            ? (a * a).addcmul_(b, b, 1).reciprocal_().mul_(_weight)
            : (a * a).reciprocal_().mul_(_r * _r * _weight);
        var channel = b.div_(a);
        channel = (_curved ? channel.atan_() : channel.mul_(_r)).mul_(_invStep).add_(_c0);
        // Written as the kernel's test so that NaN channels (a pixel at the source) are invalid too.
        var invalid = channel.ge(0f).logical_and_(channel.le(_lastChannel)).logical_and_(a.gt(0f)).logical_not_();
        weight.masked_fill_(invalid, 0f);
        channel.masked_fill_(invalid, 0f);
        // Truncation is the floor for the valid channels (≥ 0); clamping keeps the upper neighbour inside the view,
        // a channel of exactly C − 1 becoming C − 2 with all weight on the upper one.
        var lowerIndex = channel.to_type(ScalarType.Int64).clamp_max_(Channels - 2);
        var upperWeight = channel.sub_(lowerIndex).mul_(weight);
        var lowerWeight = weight.sub_(upperWeight);
        lowerIndex.add_((arange(first, first + count, ScalarType.Int64, device) * Channels).view(count, 1, 1));
        return (lowerIndex.view(-1), lowerWeight.view(-1), upperWeight.view(-1));
    }
}
