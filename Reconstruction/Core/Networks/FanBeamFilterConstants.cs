using static TorchSharp.torch;

namespace FedNano.Reconstruction.Networks;

/// <summary>
/// The fixed tensors of <see cref="DifferentiableFanBeamFbp"/> on one device: per-channel pre-weights, the ramp
/// kernel's spectrum, Parker weights (short scans only) and the views' cos β and sin β. None of them is trainable
/// or part of a checkpoint; each tensor is detached from every dispose scope and freed by <see cref="Dispose"/>.
/// </summary>
internal sealed class FanBeamFilterConstants : IDisposable
{
    /// <summary>Takes ownership of the tensors (all on one device).</summary>
    public FanBeamFilterConstants(Tensor preWeight, Tensor kernelSpectrum, Tensor? parkerWeight, Tensor viewCos, Tensor viewSin)
    {
        PreWeight = preWeight.DetachFromDisposeScope();
        KernelSpectrum = kernelSpectrum.DetachFromDisposeScope();
        ParkerWeight = parkerWeight?.DetachFromDisposeScope();
        ViewCos = viewCos.DetachFromDisposeScope();
        ViewSin = viewSin.DetachFromDisposeScope();
    }

    /// <summary>Per-channel pre-weights [channels], float32.</summary>
    public Tensor PreWeight { get; }

    /// <summary>Real FFT of the zero-padded kernel [padded/2 + 1], complex64.</summary>
    public Tensor KernelSpectrum { get; }

    /// <summary>Parker weights [views, channels], float32, or null for a full scan.</summary>
    public Tensor? ParkerWeight { get; }

    /// <summary>cos β of every view [views], float32.</summary>
    public Tensor ViewCos { get; }

    /// <summary>sin β of every view [views], float32.</summary>
    public Tensor ViewSin { get; }

    /// <summary>Copies of every tensor on <paramref name="device"/>.</summary>
    public FanBeamFilterConstants CopyTo(Device device) => new(
        PreWeight.to(device), KernelSpectrum.to(device), ParkerWeight?.to(device), ViewCos.to(device), ViewSin.to(device));

    /// <inheritdoc/>
    public void Dispose()
    {
        PreWeight.Dispose();
        KernelSpectrum.Dispose();
        ParkerWeight?.Dispose();
        ViewCos.Dispose();
        ViewSin.Dispose();
    }
}
