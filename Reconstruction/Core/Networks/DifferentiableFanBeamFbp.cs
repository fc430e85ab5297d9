using FedNano.Reconstruction.Analytic;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Networks;

/// <summary>
/// Fan-beam filtered backprojection as a fixed, differentiable TorchSharp module: the same operator as
/// <see cref="FanBeamFbp"/> (equiangular or flat detector; full scan, or short scan with Parker weights), so a network
/// can be trained through it end to end. It has no trainable parameters.
/// </summary>
/// <remarks>
/// <para>Input: float32 line integrals [B, views, channels] or [B, 1, views, channels], view-major as
/// <see cref="FanBeamSinogram"/>. Output: attenuation μ (1/mm) [B, 1, Size, Size] on the grid, row j = image row j,
/// equal per batch item to <see cref="FanBeamFbp.Reconstruct"/> with the same geometry, grid, window and cutoff.</para>
/// <para>The filter (Parker weights, pre-weights, FFT convolution with <see cref="RampFilter"/>'s own kernel spectrum) is
/// ordinary torch operations, differentiated by autograd. The backprojection is a custom autograd function whose
/// backward is its exact adjoint: on CPU the C# kernel of <see cref="FanBeamBackprojector"/>
/// (<see cref="BackprojectionBackend.Kernel"/>), elsewhere torch gathers and scatter-adds
/// (<see cref="BackprojectionBackend.TorchOps"/>); see <see cref="BackprojectionOptions.Backend"/>. Gradients are first order.</para>
/// <para>The operator follows its input's device: the kernel spectrum, pre-weights, Parker weights and view angles are
/// plain tensors (not buffers, so they stay out of <c>parameters()</c> and <c>state_dict()</c>: they follow from the
/// geometry, not from training), copied once to each device the module sees. <c>.to(device)</c> therefore needs no
/// special handling; <c>.to(dtype)</c> does not convert them: the operator computes in float32.</para>
/// </remarks>
public sealed class DifferentiableFanBeamFbp : nn.Module<Tensor, Tensor>
{
    private readonly FanBeamProjectionSetup _projection;
    private readonly FanBeamTorchSampling _sampling;
    private readonly FanBeamFilterConstants _cpuConstants;
    private readonly Dictionary<string, FanBeamFilterConstants> _deviceConstants = [];
    private readonly Lock _deviceConstantsGate = new();

    /// <summary>Prepares the operator for sinograms of <paramref name="geometry"/> reconstructed on <paramref name="grid"/>.</summary>
    /// <param name="geometry">Sinogram geometry: a full rotation, or a short scan of at least π + 2·max fan angle.</param>
    /// <param name="grid">Output grid.</param>
    /// <param name="window">Ramp apodisation.</param>
    /// <param name="cutoff">Window cutoff as a fraction of Nyquist (0 &lt; cutoff ≤ 1).</param>
    /// <param name="options">Backprojection backend and chunking (null: defaults).</param>
    /// <exception cref="ArgumentException">A value is invalid, or the views cover neither a full rotation nor a short scan.</exception>
    public DifferentiableFanBeamFbp(
        FanBeamGeometry geometry,
        ImageGrid2D grid,
        ReconstructionFilter window = ReconstructionFilter.SheppLogan,
        double cutoff = 1.0,
        BackprojectionOptions? options = null)
        : base(nameof(DifferentiableFanBeamFbp))
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(grid);
        options ??= new BackprojectionOptions();
        options.Validate();
        Torch.TorchRuntime.Initialize();
        Geometry = geometry;
        Grid = grid;
        Window = window;
        Cutoff = cutoff;
        Options = options;

        // The filter's temporaries stay in this scope; the constants detach themselves from every scope.
        using (var scope = NewDisposeScope())
        {
            // The reference checks geometry, grid, window, cutoff and short-scan coverage with its own messages.
            var reference = new FanBeamFbp(geometry, grid, window, cutoff);
            IsShortScan = reference.IsShortScan;
            var filter = new RampFilter(geometry, window, cutoff);
            PaddedLength = filter.PaddedLength;
            Tensor? parker = null;
            if (IsShortScan)
            {
                // The same weights FanBeamFbp applies: ParkerWeights over the views' coverage π + 2δ.
                double deltaRad = ((geometry.Views - 1) * geometry.AngleStepRad - Math.PI) / 2;
                var weights = new float[geometry.Views * geometry.Channels];
                Array.Fill(weights, 1f);
                ParkerWeights.Apply(geometry, weights, deltaRad);
                parker = tensor(weights, [geometry.Views, geometry.Channels]);
            }
            var cos = new float[geometry.Views];
            var sin = new float[geometry.Views];
            for (int v = 0; v < geometry.Views; v++)
            {
                double beta = geometry.ViewAngleRad(v);
                cos[v] = (float)Math.Cos(beta);
                sin[v] = (float)Math.Sin(beta);
            }
            _cpuConstants = new FanBeamFilterConstants(
                tensor(filter.PreWeights.ToArray()), filter.KernelSpectrum(), parker, tensor(cos), tensor(sin));
        }
        _projection = new FanBeamProjectionSetup(geometry, grid, IsShortScan ? 2.0 : 1.0);
        _sampling = new FanBeamTorchSampling(_projection, options);
    }

    /// <summary>The sinogram geometry.</summary>
    public FanBeamGeometry Geometry { get; }

    /// <summary>The output grid.</summary>
    public ImageGrid2D Grid { get; }

    /// <summary>The ramp apodisation.</summary>
    public ReconstructionFilter Window { get; }

    /// <summary>The window cutoff as a fraction of Nyquist.</summary>
    public double Cutoff { get; }

    /// <summary>Backprojection options.</summary>
    public BackprojectionOptions Options { get; }

    /// <summary>True when the geometry is a short scan, reconstructed with Parker weights (and a factor 2).</summary>
    public bool IsShortScan { get; }

    /// <summary>FFT length each view is zero-padded to for the convolution.</summary>
    public int PaddedLength { get; }

    /// <summary>The backend a call with input on <paramref name="device"/> uses.</summary>
    public BackprojectionBackend BackendFor(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return Options.Backend ?? (device.type == DeviceType.CPU ? BackprojectionBackend.Kernel : BackprojectionBackend.TorchOps);
    }

    /// <summary>Reconstructs μ (1/mm) [B, 1, Size, Size] from line integrals [B, views, channels] or [B, 1, views, channels].</summary>
    /// <exception cref="ArgumentException">The input's shape or type does not fit this module, or the Kernel backend was asked for on a GPU.</exception>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var sinogram = ViewAsSinogram(input, nameof(input));
        var image = BackprojectSinogram(FilterSinogram(sinogram));
        return image.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The filter step alone: Parker weights (short scan), pre-weights and ramp convolution of line integrals
    /// [B, views, channels] or [B, 1, views, channels], returning [B, views, channels] (differentiable).
    /// </summary>
    /// <exception cref="ArgumentException">The input's shape or type does not fit this module.</exception>
    public Tensor Filter(Tensor sinogram)
    {
        using var scope = NewDisposeScope();
        var viewed = ViewAsSinogram(sinogram, nameof(sinogram));
        return FilterSinogram(viewed).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The backprojection step alone: filtered sinograms [B, views, channels] or [B, 1, views, channels] →
    /// [B, 1, Size, Size] (differentiable; its gradient is the exact adjoint).
    /// </summary>
    /// <exception cref="ArgumentException">The input's shape or type does not fit this module, or the Kernel backend was asked for on a GPU.</exception>
    public Tensor Backproject(Tensor filtered)
    {
        using var scope = NewDisposeScope();
        var viewed = ViewAsSinogram(filtered, nameof(filtered));
        return BackprojectSinogram(viewed).MoveToOuterDisposeScope();
    }

    private Tensor FilterSinogram(Tensor sinogram)
    {
        var constants = ConstantsOn(sinogram.device);
        var weighted = constants.ParkerWeight is { } parker ? sinogram * parker : sinogram;
        weighted = weighted * constants.PreWeight;
        var spectrum = fft.rfft(weighted, PaddedLength, dim: -1);
        return fft.irfft(spectrum * constants.KernelSpectrum, PaddedLength, dim: -1).narrow(-1, 0, Geometry.Channels);
    }

    private Tensor BackprojectSinogram(Tensor filtered)
    {
        var backend = BackendFor(filtered.device);
        Tensor image;
        if (backend == BackprojectionBackend.Kernel)
        {
            if (filtered.device_type != DeviceType.CPU)
            {
                throw new ArgumentException(
                    $"The {BackprojectionBackend.Kernel} backprojection runs on CPU tensors, but the input is on {filtered.device}; use {BackprojectionBackend.TorchOps} (or leave the backend unset).");
            }
            image = FanBeamKernelBackprojection.Apply(filtered, _projection);
        }
        else
        {
            var constants = ConstantsOn(filtered.device);
            image = FanBeamTorchBackprojection.Apply(filtered, constants.ViewCos, constants.ViewSin, _sampling);
        }
        return image.unsqueeze(1);
    }

    // The constants on the input's device, copied there on first use.
    private FanBeamFilterConstants ConstantsOn(Device device)
    {
        if (device.type == DeviceType.CPU)
        {
            return _cpuConstants;
        }
        lock (_deviceConstantsGate)
        {
            string key = device.ToString();
            if (!_deviceConstants.TryGetValue(key, out var constants))
            {
                constants = _cpuConstants.CopyTo(device);
                _deviceConstants.Add(key, constants);
            }
            return constants;
        }
    }

    // Checks the shape and type of a sinogram-shaped input and views it as [B, views, channels].
    private Tensor ViewAsSinogram(Tensor input, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(input, parameterName);
        long views = Geometry.Views, channels = Geometry.Channels;
        long[] shape = input.shape;
        bool fits = (shape.Length == 3 && shape[1] == views && shape[2] == channels)
            || (shape.Length == 4 && shape[1] == 1 && shape[2] == views && shape[3] == channels);
        if (!fits)
        {
            throw new ArgumentException(
                $"{nameof(DifferentiableFanBeamFbp)} expects a sinogram shaped [B, {views}, {channels}] or [B, 1, {views}, {channels}] (views x channels), got [{string.Join(", ", shape)}].",
                parameterName);
        }
        if (input.dtype != ScalarType.Float32)
        {
            throw new ArgumentException($"{nameof(DifferentiableFanBeamFbp)} expects float32 sinograms, got {input.dtype}.", parameterName);
        }
        return shape.Length == 3 ? input : input.squeeze(1);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cpuConstants.Dispose();
            lock (_deviceConstantsGate)
            {
                foreach (var constants in _deviceConstants.Values)
                {
                    constants.Dispose();
                }
                _deviceConstants.Clear();
            }
        }
        base.Dispose(disposing);
    }
}
