using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Networks;

/// <summary>
/// One 3×3 (or 1×1) convolution that keeps the spatial size, optionally dilated along the first spatial axis,
/// followed by a leaky ReLU unless it is an output layer.
/// </summary>
/// <remarks>
/// <para>Initialisation: He (Kaiming) normal for the leaky ReLU's slope, fan-in mode, zero bias, so the activation scale
/// stays constant through depth; the weights are then multiplied by <c>initGain</c> (output layers use a small gain
/// so a residual network starts close to the identity while gradients still reach every layer).</para>
/// <para>A 3×3 block whose output count is not a multiple of <see cref="OneDnnOutputBlock"/> convolves with its weights
/// zero-padded to the next multiple and drops the extra maps; one with more than 16 inputs that are not a multiple of
/// 16 also pads its input with zero maps. libtorch 2.10's oneDNN computes wrong (even NaN) gradients for such shapes on
/// AVX-512 hosts (measured: 1 … 15 and 17 … 31 output maps; 17, 24, 40 input maps with any output count; fewer than 16
/// inputs, multiples of 16 and 1×1 kernels right). The parameters keep their true shape, so checkpoints do not see the
/// padding, and the padded entries get no gradient. This keeps full-ISA oneDNN usable (3.6× faster than the AVX cap for
/// 32 → 32 maps).</para>
/// </remarks>
public sealed class ConvBlock : nn.Module<Tensor, Tensor>
{
    /// <summary>Negative slope of the leaky ReLU: keeps small networks from losing units to dead ReLUs.</summary>
    public const double LeakySlope = 0.1;

    /// <summary>Output maps of a 3×3 convolution are padded to a multiple of this (see remarks).</summary>
    public const int OneDnnOutputBlock = 16;

    private readonly Conv2d conv;
    private readonly ConvBlockPadding _padding;
    private readonly long _dilation;
    private readonly bool _activation;
    private readonly int _kernel;
    private readonly long _paddedOutChannels;
    private readonly long _paddedInChannels;
    private readonly (long Views, long Channels) _convPadding;

    /// <summary>Creates the block.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="inChannels">Input feature maps.</param>
    /// <param name="outChannels">Output feature maps.</param>
    /// <param name="padding">Padding on the spatial axes.</param>
    /// <param name="activation">False for an output layer (no non-linearity).</param>
    /// <param name="dilation">Dilation along the first spatial axis (views of a sinogram); 1 = none.</param>
    /// <param name="kernelSize">3 (or 1 for a pointwise layer).</param>
    /// <param name="initGain">Factor applied to the He-initialised weights.</param>
    /// <exception cref="ArgumentException">A size is out of range.</exception>
    public ConvBlock(string name, long inChannels, long outChannels, ConvBlockPadding padding, bool activation = true,
        long dilation = 1, int kernelSize = 3, double initGain = 1.0)
        : base(name)
    {
        if (inChannels < 1 || outChannels < 1)
        {
            throw new ArgumentException($"Convolution {name}: channel counts {inChannels} -> {outChannels} must be positive.");
        }
        if (kernelSize is not (1 or 3))
        {
            throw new ArgumentException($"Convolution {name}: kernel size {kernelSize} must be 1 or 3.");
        }
        if (dilation < 1)
        {
            throw new ArgumentException($"Convolution {name}: dilation {dilation} must be at least 1.");
        }
        if (!Enum.IsDefined(padding))
        {
            throw new ArgumentException($"Convolution {name}: unknown padding {padding}.");
        }
        if (!(initGain > 0 && double.IsFinite(initGain)))
        {
            throw new ArgumentException($"Convolution {name}: initial gain {initGain} must be positive.");
        }
        Torch.TorchRuntime.Initialize();
        _padding = padding;
        _dilation = kernelSize == 1 ? 1 : dilation;
        _activation = activation;
        _kernel = kernelSize;
        _paddedOutChannels = kernelSize == 1 ? outChannels : RoundUp(outChannels);
        _paddedInChannels = kernelSize == 1 || inChannels < OneDnnOutputBlock ? inChannels : RoundUp(inChannels);
        // The convolution zero-pads what it can itself (cheaper than a padded copy); periodic views are padded in forward.
        long half = kernelSize / 2;
        long viewPad = padding == ConvBlockPadding.CircularViews ? 0 : half * _dilation;
        _convPadding = (viewPad, half);
        conv = nn.Conv2d(inChannels, outChannels, (kernelSize, kernelSize), stride: (1, 1), padding: (viewPad, half),
            dilation: (_dilation, 1));
        using (no_grad())
        {
            nn.init.kaiming_normal_(conv.weight, LeakySlope, nn.init.FanInOut.FanIn, nn.init.NonlinearityType.LeakyReLU);
            if (initGain != 1.0)
            {
                conv.weight.mul_(initGain);
            }
            conv.bias!.zero_();
        }
        RegisterComponents();
    }

    /// <summary>Input feature maps.</summary>
    public long InChannels => conv.weight.shape[1];

    /// <summary>Output feature maps.</summary>
    public long OutChannels => conv.weight.shape[0];

    /// <summary>[B, in, H, W] → [B, out, H, W].</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var x = input;
        if (_kernel == 3 && _padding == ConvBlockPadding.CircularViews)
        {
            // Wrap the views (H) by the dilation; pad takes (left, right, top, bottom) of the last two axes.
            x = nn.functional.pad(input, [0, 0, _dilation, _dilation], PaddingModes.Circular);
        }
        Tensor y;
        if (_paddedOutChannels == OutChannels && _paddedInChannels == InChannels)
        {
            y = conv.forward(x);
        }
        else
        {
            long extra = _paddedOutChannels - OutChannels;
            long extraIn = _paddedInChannels - InChannels;
            if (extraIn > 0)
            {
                x = nn.functional.pad(x, [0, 0, 0, 0, 0, extraIn]);
            }
            var weight = nn.functional.pad(conv.weight, [0, 0, 0, 0, 0, extraIn, 0, extra]);
            var bias = nn.functional.pad(conv.bias!, [0, extra]);
            y = nn.functional.conv2d(x, weight, bias, strides: [1, 1], padding: [_convPadding.Views, _convPadding.Channels],
                dilation: [_dilation, 1]).narrow(1, 0, OutChannels);
        }
        var output = _activation ? nn.functional.leaky_relu(y, LeakySlope) : y;
        return output.MoveToOuterDisposeScope();
    }

    private static long RoundUp(long channels) => (channels + OneDnnOutputBlock - 1) / OneDnnOutputBlock * OneDnnOutputBlock;
}
