namespace FedNano.Reconstruction.Networks;

/// <summary>How <see cref="DifferentiableFanBeamFbp"/> backprojects the filtered sinogram (and its gradient).</summary>
public enum BackprojectionBackend
{
    /// <summary>
    /// The C# AVX2 kernel of <see cref="Analytic.FanBeamBackprojector"/> on the tensor's memory, with its exact adjoint
    /// for the gradient: bit-identical to the reference FBP. CPU tensors only.
    /// </summary>
    Kernel,

    /// <summary>
    /// Pure torch operations (per-view pixel coordinates and gathers, in chunks of views, with an explicit
    /// scatter-add adjoint): runs on any device, CUDA included, and agrees with <see cref="Kernel"/> to float rounding.
    /// </summary>
    TorchOps,
}
