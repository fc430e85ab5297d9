using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Analytic;

/// <summary>
/// The FBP convolution step for one fan-beam geometry: pre-weights each sample (D-weighting) and convolves
/// every view with the windowed ramp kernel, by FFT in TorchSharp (zero-padded, so the convolution is linear).
/// </summary>
/// <remarks>
/// Equiangular detector (Kak &amp; Slaney §3.4.2): q(β,γ) = R·cos γ·p(β,γ), kernel g(nα) = ½·(nα / sin nα)²·h(nα),
/// where h is the band-limited discrete ramp (h(0) = 1/(4α²), h(odd n) = −1/(n²π²α²), 0 for even n) and the
/// convolution sum is scaled by α. Flat detector: samples are moved to a virtual detector through the isocenter
/// (u' = u·R/D), q = R/√(R² + u'²)·p, kernel ½·h with spacing Δu'. The ½ is the redundancy of a full 2π scan;
/// short scans compensate for it in their weights. Windows multiply the ramp's spectrum before the
/// equiangular (γ/sin γ)² correction is applied in the spatial domain.
/// </remarks>
public sealed class RampFilter
{
    private readonly FanBeamGeometry _geometry;
    private readonly int _padded;
    private readonly float[] _preWeight;
    private readonly Tensor _kernelSpectrum;

    /// <summary>Builds the kernel for <paramref name="geometry"/>.</summary>
    /// <param name="geometry">Fan-beam geometry (its detector decides the kernel).</param>
    /// <param name="window">Apodisation window.</param>
    /// <param name="cutoff">Fraction of the Nyquist frequency where the window reaches zero (0 &lt; cutoff ≤ 1).</param>
    public RampFilter(FanBeamGeometry geometry, ReconstructionFilter window = ReconstructionFilter.RamLak, double cutoff = 1.0)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        geometry.Validate();
        if (!(cutoff > 0 && cutoff <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(cutoff), $"Filter cutoff must be in (0, 1] of Nyquist (got {cutoff}).");
        }
        Torch.TorchRuntime.Initialize();
        _geometry = geometry;
        Window = window;
        Cutoff = cutoff;
        int n = geometry.Channels;
        _padded = 64;
        while (_padded < 2 * n)
        {
            _padded *= 2;
        }

        bool curved = geometry.Shape == DetectorShape.Curved;
        double r = geometry.SourceToIsocenterMm;
        double step = curved
            ? geometry.FanAngleIncrementRad
            : geometry.ChannelSpacingMm * r / geometry.SourceToDetectorMm;
        SampleStep = step;
        _preWeight = new float[n];
        for (int c = 0; c < n; c++)
        {
            double offset = c + 1.0 - geometry.CentralChannel;
            if (curved)
            {
                _preWeight[c] = (float)(r * Math.Cos(offset * step));
            }
            else
            {
                double u = offset * step;
                _preWeight[c] = (float)(r / Math.Sqrt(r * r + u * u));
            }
        }

        // Windowed discrete ramp, built in the frequency domain from the exact spatial Ram-Lak samples.
        var ramp = new double[_padded];
        for (int i = 0; i < _padded; i++)
        {
            int k = i <= _padded / 2 ? i : i - _padded;
            ramp[i] = k == 0 ? 1.0 / (4 * step * step) : (k % 2 == 0 ? 0.0 : -1.0 / (k * (double)k * Math.PI * Math.PI * step * step));
        }
        using var rampTensor = tensor(ramp);
        using var rampSpectrum = fft.rfft(rampTensor);
        int bins = _padded / 2 + 1;
        var windowValues = new double[bins];
        for (int b = 0; b < bins; b++)
        {
            double f = (double)b / (bins - 1); // fraction of Nyquist
            windowValues[b] = f > cutoff ? 0.0 : window switch
            {
                ReconstructionFilter.RamLak => 1.0,
                ReconstructionFilter.SheppLogan => Sinc(f / (2 * cutoff)),
                ReconstructionFilter.Hann => 0.5 * (1 + Math.Cos(Math.PI * f / cutoff)),
                _ => throw new ArgumentOutOfRangeException(nameof(window), $"Unknown filter {window}."),
            };
        }
        using var windowTensor = tensor(windowValues);
        using var windowedSpectrum = rampSpectrum * windowTensor;
        using var windowed = fft.irfft(windowedSpectrum, _padded);
        var h = windowed.data<double>().ToArray();
        for (int i = 0; i < _padded; i++)
        {
            int k = i <= _padded / 2 ? i : i - _padded;
            double factor = 0.5;
            if (curved && k != 0)
            {
                double angle = k * step;
                double ratio = angle / Math.Sin(angle);
                factor *= ratio * ratio;
            }
            h[i] *= factor * step; // the convolution sum's sample spacing
        }
        using var kernel = tensor(h);
        // Detached: a filter built inside a caller's dispose scope must outlive it.
        _kernelSpectrum = fft.rfft(kernel).to_type(ScalarType.ComplexFloat32).DetachFromDisposeScope();
    }

    /// <summary>The apodisation window.</summary>
    public ReconstructionFilter Window { get; }

    /// <summary>Window cutoff as a fraction of Nyquist.</summary>
    public double Cutoff { get; }

    /// <summary>Sample spacing of the convolution: Δγ (rad) for a curved detector, Δu at the isocenter (mm) for a flat one.</summary>
    public double SampleStep { get; }

    /// <summary>Length (a power of two ≥ 2·channels) each view is zero-padded to before the FFT, so the convolution is linear.</summary>
    public int PaddedLength => _padded;

    /// <summary>The per-channel pre-weights (R·cos γ, or R/√(R² + u'²) for a flat detector) applied before the convolution.</summary>
    public ReadOnlySpan<float> PreWeights => _preWeight;

    /// <summary>
    /// A new CPU tensor holding the kernel's spectrum: the real FFT (complex64, <see cref="PaddedLength"/>/2 + 1 bins) of
    /// the windowed, fan-corrected and sample-spacing-scaled kernel that <see cref="Apply"/> multiplies each padded view
    /// by. The caller owns (and disposes) it.
    /// </summary>
    public Tensor KernelSpectrum() => _kernelSpectrum.clone();

    /// <summary>
    /// Weights and filters a view-major sinogram (views × channels), returning a new array.
    /// </summary>
    public float[] Apply(ReadOnlySpan<float> sinogram)
    {
        int n = _geometry.Channels;
        if (sinogram.Length % n != 0)
        {
            throw new ArgumentException($"Sinogram length {sinogram.Length} is not a multiple of {n} channels.", nameof(sinogram));
        }
        int views = sinogram.Length / n;
        var weighted = new float[views * n];
        for (int v = 0; v < views; v++)
        {
            for (int c = 0; c < n; c++)
            {
                weighted[v * n + c] = sinogram[v * n + c] * _preWeight[c];
            }
        }
        using var scope = NewDisposeScope();
        var data = tensor(weighted, [views, n]);
        var spectrum = fft.rfft(data, _padded, dim: 1);
        var filtered = fft.irfft(spectrum * _kernelSpectrum, _padded, dim: 1).narrow(1, 0, n).contiguous();
        return MemoryMarshal.Cast<byte, float>(filtered.bytes).ToArray();
    }

    private static double Sinc(double x) => x == 0 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);
}
