using FedNano.Reconstruction.Workflows;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Networks;

/// <summary>
/// The cascaded dual-domain network (after Zheng, Gao, Zhang et al., arXiv 1910.03746): projection-domain CNN →
/// fixed, differentiable fan-beam FBP → image-domain CNN, trained end to end.
/// </summary>
/// <remarks>
/// Input [B, C<sub>in</sub>, views, channels] as <see cref="ProjectionDomainCnn"/> describes (C<sub>in</sub> =
/// <see cref="ProjectionDomainCnnOptions.InputChannels"/>, views = <see cref="DualDomainGeometry.ViewsPerRotation"/>,
/// channels = <see cref="DualDomainGeometry.Channels"/>), output [B, 1, N, N] μ (1/mm) on
/// <see cref="DualDomainConfig.Grid"/>. A bypassed stage (<see cref="DualDomainConfig.ProjectionCnnEnabled"/>,
/// <see cref="DualDomainConfig.ImageCnnEnabled"/>) is not built at all, so it has no parameters and its checkpoint no
/// weights. The FBP has no trainable parameters; <c>.to(device)</c> moves every stage.
/// </remarks>
public sealed class DualDomainCascade : nn.Module<Tensor, Tensor>
{
    private readonly ProjectionDomainCnn? projection;
    private readonly DifferentiableFanBeamFbp fbp;
    private readonly ImageDomainCnn? image;

    /// <summary>Builds the cascade described by <paramref name="config"/> (weights freshly initialised, on the CPU).</summary>
    /// <param name="config">The network.</param>
    /// <param name="backprojection">How the FBP backprojects (null: the C# kernel on CPU, torch operations elsewhere).</param>
    /// <exception cref="ArgumentException">The config is invalid.</exception>
    public DualDomainCascade(DualDomainConfig config, BackprojectionOptions? backprojection = null)
        : base(nameof(DualDomainCascade))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Torch.TorchRuntime.Initialize();
        Config = config;
        projection = config.ProjectionCnnEnabled ? new ProjectionDomainCnn(config.ProjectionCnn) : null;
        fbp = new DifferentiableFanBeamFbp(config.Geometry.ToFanBeamGeometry(), config.Grid, config.FbpWindow, config.FbpCutoff, backprojection);
        image = config.ImageCnnEnabled ? new ImageDomainCnn(config.ImageCnn, config.MuWaterPerMm) : null;
        RegisterComponents();
    }

    /// <summary>The configuration the cascade was built from.</summary>
    public DualDomainConfig Config { get; }

    /// <summary>The projection-domain CNN, or null when bypassed.</summary>
    public ProjectionDomainCnn? ProjectionCnn => projection;

    /// <summary>The fixed fan-beam FBP: [B, views, channels] line integrals → [B, 1, N, N] μ.</summary>
    public DifferentiableFanBeamFbp Fbp => fbp;

    /// <summary>The image-domain CNN, or null when bypassed.</summary>
    public ImageDomainCnn? ImageCnn => image;

    /// <summary>Number of trainable scalars (the FBP contributes none).</summary>
    public long TrainableParameterCount => parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    /// <summary>[B, C<sub>in</sub>, views, channels] → refined image [B, 1, N, N] μ (1/mm).</summary>
    /// <exception cref="ArgumentException">The input shape does not match the config.</exception>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (_, _, refined) = ForwardAll(input);
        return refined.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Runs every stage and returns the intermediate results, for losses on more than the final image:
    /// the completed sinogram [B, views, channels], the FBP image [B, 1, N, N] and the refined image [B, 1, N, N].
    /// A bypassed stage passes its input through (the sinogram is then input channel 0; with the image CNN bypassed the
    /// refined image is the FBP image tensor itself).
    /// </summary>
    /// <param name="input">[B, C<sub>in</sub>, views, channels].</param>
    /// <param name="profile">When given, each stage's time is charged to it (the device is synchronised after each stage,
    /// so the times are the stages' own even on CUDA).</param>
    /// <exception cref="ArgumentException">The input shape does not match the config.</exception>
    public (Tensor Sinogram, Tensor FbpImage, Tensor RefinedImage) ForwardAll(Tensor input, StageProfile? profile = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var g = Config.Geometry;
        int inputs = Config.ProjectionCnn.InputChannels;
        if (input.dim() != 4 || input.shape[1] != inputs || input.shape[2] != g.ViewsPerRotation || input.shape[3] != g.Channels)
        {
            throw new ArgumentException(
                $"Dual-domain cascade expects [batch, {inputs}, {g.ViewsPerRotation} views, {g.Channels} channels], got [{string.Join(", ", input.shape)}].",
                nameof(input));
        }
        profile?.Skip();
        var sinogram = projection is null ? input.select(1, 0) : projection.forward(input);
        Mark(profile, input, StageProfile.Stages.ProjectionCnn);
        var fbpImage = fbp.forward(sinogram);
        Mark(profile, input, StageProfile.Stages.Fbp);
        var refined = image is null ? fbpImage : image.forward(fbpImage);
        Mark(profile, input, StageProfile.Stages.ImageCnn);
        return (sinogram, fbpImage, refined);
    }

    private static void Mark(StageProfile? profile, Tensor input, string stage)
    {
        if (profile is null) return;
        // CUDA kernels run asynchronously: wait for them, or the next stage is charged this one's time.
        if (input.device_type == DeviceType.CUDA) cuda.synchronize();
        profile.Lap(stage);
    }
}
