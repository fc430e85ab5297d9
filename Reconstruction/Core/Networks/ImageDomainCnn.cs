using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Networks;

/// <summary>
/// The image-domain CNN of the dual-domain cascade: a residual U-Net that refines an FBP image.
/// </summary>
/// <remarks>
/// <para>Input and output [B, 1, N, N] attenuation μ (1/mm); output = input + μ_water · U-Net(input / μ_water), so
/// the convolutions see values of order one (air 0, water 1, bone up to about 2).</para>
/// <para>U-Net (Ronneberger et al. 2015) with <see cref="ImageDomainCnnOptions.Levels"/> resolution levels: two
/// 3×3 convolutions with leaky ReLUs per level (<see cref="ConvBlock"/>, zero padding), feature maps doubling per
/// level from <see cref="ImageDomainCnnOptions.BaseFeatures"/>; 2×2 average pooling down (linear, so mean
/// attenuation survives), bilinear up-sampling to the skip connection's exact size (any N works, no cropping), skip
/// concatenation, and a 1×1 output convolution started at 0.1 of the He scale.</para>
/// </remarks>
public sealed class ImageDomainCnn : nn.Module<Tensor, Tensor>
{
    /// <summary>Gain of the output layer's initial weights.</summary>
    public const double OutputInitGain = 0.1;

    private readonly ModuleList<ConvBlock> encoder;
    private readonly ModuleList<ConvBlock> decoder;
    private readonly ConvBlock head;
    private readonly double _muWaterPerMm;

    /// <summary>Builds the network.</summary>
    /// <param name="options">Layout.</param>
    /// <param name="muWaterPerMm">μ_water (1/mm) of the internal normalisation.</param>
    /// <exception cref="ArgumentException">The options or μ_water are out of range.</exception>
    public ImageDomainCnn(ImageDomainCnnOptions options, double muWaterPerMm)
        : base(nameof(ImageDomainCnn))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!(muWaterPerMm > 0 && muWaterPerMm < 1))
        {
            throw new ArgumentException($"Image CNN: μ_water {muWaterPerMm} /mm must lie in (0, 1).", nameof(muWaterPerMm));
        }
        Torch.TorchRuntime.Initialize();
        Options = options;
        _muWaterPerMm = muWaterPerMm;
        var down = new List<ConvBlock>();
        for (int level = 0; level < options.Levels; level++)
        {
            long inputs = level == 0 ? 1 : options.FeaturesAt(level - 1);
            down.Add(new ConvBlock($"down{level}a", inputs, options.FeaturesAt(level), ConvBlockPadding.Zeros));
            down.Add(new ConvBlock($"down{level}b", options.FeaturesAt(level), options.FeaturesAt(level), ConvBlockPadding.Zeros));
        }
        var up = new List<ConvBlock>();
        for (int level = options.Levels - 2; level >= 0; level--)
        {
            long inputs = options.FeaturesAt(level) + options.FeaturesAt(level + 1);
            up.Add(new ConvBlock($"up{level}a", inputs, options.FeaturesAt(level), ConvBlockPadding.Zeros));
            up.Add(new ConvBlock($"up{level}b", options.FeaturesAt(level), options.FeaturesAt(level), ConvBlockPadding.Zeros));
        }
        encoder = nn.ModuleList(down.ToArray());
        decoder = nn.ModuleList(up.ToArray());
        head = new ConvBlock("head", options.BaseFeatures, 1, ConvBlockPadding.Zeros, activation: false, kernelSize: 1,
            initGain: OutputInitGain);
        RegisterComponents();
    }

    /// <summary>The layout.</summary>
    public ImageDomainCnnOptions Options { get; }

    /// <summary>[B, 1, N, N] μ (1/mm) → [B, 1, N, N] μ: input + correction.</summary>
    /// <exception cref="ArgumentException">The input is not [B, 1, H, W].</exception>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4 || input.shape[1] != 1)
        {
            throw new ArgumentException($"Image CNN expects [batch, 1, height, width], got [{string.Join(", ", input.shape)}].", nameof(input));
        }
        int coarsest = 1 << (Options.Levels - 1);
        if (input.shape[2] < coarsest || input.shape[3] < coarsest)
        {
            throw new ArgumentException(
                $"Image CNN with {Options.Levels} levels needs images of at least {coarsest}² pixels, got {input.shape[2]} x {input.shape[3]}.",
                nameof(input));
        }
        using var scope = NewDisposeScope();
        Tensor x = input * (1.0 / _muWaterPerMm);
        var skips = new List<Tensor>();
        for (int level = 0; level < Options.Levels; level++)
        {
            if (level > 0)
            {
                x = nn.functional.avg_pool2d(x, 2);
            }
            x = encoder[2 * level + 1].forward(encoder[2 * level].forward(x));
            skips.Add(x);
        }
        for (int step = 0, level = Options.Levels - 2; level >= 0; step++, level--)
        {
            var skip = skips[level];
            var upsampled = nn.functional.interpolate(x, size: [skip.shape[2], skip.shape[3]], mode: InterpolationMode.Bilinear,
                align_corners: false);
            x = cat([skip, upsampled], 1);
            x = decoder[2 * step + 1].forward(decoder[2 * step].forward(x));
        }
        var output = input + head.forward(x) * _muWaterPerMm;
        return output.MoveToOuterDisposeScope();
    }
}
