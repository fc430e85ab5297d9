using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Networks;

/// <summary>
/// The projection-domain CNN of the dual-domain cascade: completes a single-slice-rebinned fan-beam sinogram whose
/// gap rows were filled by linear interpolation in z, as a residual correction of it.
/// </summary>
/// <remarks>
/// <para>Input [B, C<sub>in</sub>, views, channels] (one full rotation, see <see cref="DualDomainGeometry"/>):
/// channel 0 the rebinned sinogram (line integrals), channel 1 the measured mask (1 where the sample came from
/// measured rows, 0 where it was interpolated across a gap), channels 2 … 2k+1 the rebinned (gap-interpolated)
/// sinograms of the neighbouring virtual slices in ascending z, the target left out: z − k·s, …, z − s, z + s, …,
/// z + k·s with s = <see cref="ProjectionDomainCnnOptions.NeighbourSliceSpacingMm"/>. Output [B, views, channels] =
/// channel 0 + predicted correction.</para>
/// <para>Layers: <see cref="ProjectionDomainCnnOptions.Layers"/> 3×3 convolutions with leaky ReLUs in between
/// (<see cref="ConvBlock"/>), <see cref="ProjectionDomainCnnOptions.Features"/> maps each, no down-sampling so
/// channel resolution is kept; hidden layers dilated along views (1, 2, 4, … ≤
/// <see cref="ProjectionDomainCnnOptions.MaxViewDilation"/>). Padding is periodic along views (the rotation wraps
/// around) and zero along channels. Sinogram channels are divided by
/// <see cref="ProjectionDomainCnnOptions.LineIntegralScale"/> on the way in and the correction multiplied by it on
/// the way out; the mask is used as is. The output layer starts at 0.1 of the He scale, so an untrained network
/// changes the interpolated sinogram only slightly.</para>
/// </remarks>
public sealed class ProjectionDomainCnn : nn.Module<Tensor, Tensor>
{
    /// <summary>Gain of the output layer's initial weights (see remarks).</summary>
    public const double OutputInitGain = 0.1;

    private readonly ModuleList<ConvBlock> layers;
    private readonly float[] _inputScale;
    private readonly float _outputScale;

    /// <summary>Builds the network.</summary>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public ProjectionDomainCnn(ProjectionDomainCnnOptions options)
        : base(nameof(ProjectionDomainCnn))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Torch.TorchRuntime.Initialize();
        Options = options;
        var blocks = new ConvBlock[options.Layers];
        for (int i = 0; i < options.Layers; i++)
        {
            bool first = i == 0, last = i == options.Layers - 1;
            blocks[i] = new ConvBlock($"conv{i}", first ? options.InputChannels : options.Features, last ? 1 : options.Features,
                ConvBlockPadding.CircularViews, activation: !last, dilation: options.ViewDilation(i),
                initGain: last ? OutputInitGain : 1.0);
        }
        layers = nn.ModuleList(blocks);
        _inputScale = new float[options.InputChannels];
        for (int c = 0; c < _inputScale.Length; c++)
        {
            _inputScale[c] = c == 1 ? 1f : (float)(1.0 / options.LineIntegralScale);
        }
        _outputScale = (float)options.LineIntegralScale;
        RegisterComponents();
    }

    /// <summary>The layout.</summary>
    public ProjectionDomainCnnOptions Options { get; }

    /// <summary>Views either side of a sample that can influence its correction.</summary>
    public int ViewReceptiveRadius => Enumerable.Range(0, Options.Layers).Sum(Options.ViewDilation);

    /// <summary>[B, C<sub>in</sub>, views, channels] → [B, views, channels]: channel 0 + correction.</summary>
    /// <exception cref="ArgumentException">The input is not 4-D with <see cref="ProjectionDomainCnnOptions.InputChannels"/> channels.</exception>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4 || input.shape[1] != Options.InputChannels)
        {
            throw new ArgumentException(
                $"Projection CNN expects [batch, {Options.InputChannels}, views, channels], got [{string.Join(", ", input.shape)}].",
                nameof(input));
        }
        using var scope = NewDisposeScope();
        using var scale = tensor(_inputScale, [1, _inputScale.Length, 1, 1], dtype: input.dtype, device: input.device);
        Tensor x = input * scale;
        foreach (var layer in layers)
        {
            x = layer.forward(x);
        }
        var output = input.select(1, 0) + x.select(1, 0) * _outputScale;
        return output.MoveToOuterDisposeScope();
    }
}
