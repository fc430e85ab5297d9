namespace FedNano.Reconstruction.Networks;

/// <summary>How <see cref="DifferentiableFanBeamFbp"/> runs its backprojection.</summary>
/// <param name="Backend">
/// The backend, or null to choose per call from the input's device: <see cref="BackprojectionBackend.Kernel"/> for CPU
/// tensors, <see cref="BackprojectionBackend.TorchOps"/> otherwise (CUDA).
/// </param>
/// <param name="TorchOpsChunkElements">
/// Upper bound on batch × views × pixels the torch-ops backend samples in one step (at least one view is always
/// taken), or null for the device's default: <see cref="CpuChunkElements"/> on CPU, <see cref="GpuChunkElements"/>
/// elsewhere. Each step holds a few float32 temporaries of this many values, so the bound trades memory (and, on
/// CPU, cache residency) against the number of kernel launches.
/// </param>
public sealed record BackprojectionOptions(BackprojectionBackend? Backend = null, long? TorchOpsChunkElements = null)
{
    /// <summary>
    /// Default step size on CPU: 2²⁰ values (4 MiB per temporary). Much larger steps run several times slower (their
    /// temporaries leave the cache and are paged in afresh); much smaller ones multiply the per-operation overhead.
    /// </summary>
    public const long CpuChunkElements = 1L << 20;

    /// <summary>Default step size on GPUs: 2²⁴ values (64 MiB per temporary) keep the kernel launches per view few.</summary>
    public const long GpuChunkElements = 1L << 24;

    /// <summary>The step size for a device of <paramref name="deviceType"/>.</summary>
    public long ChunkElementsFor(TorchSharp.DeviceType deviceType) =>
        TorchOpsChunkElements ?? (deviceType == TorchSharp.DeviceType.CPU ? CpuChunkElements : GpuChunkElements);

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">The backend is unknown or the chunk size is not positive.</exception>
    public void Validate()
    {
        if (Backend is { } backend && !Enum.IsDefined(backend))
        {
            throw new ArgumentException($"Unknown backprojection backend {backend}.");
        }
        if (TorchOpsChunkElements is < 1)
        {
            throw new ArgumentException($"TorchOpsChunkElements must be positive (got {TorchOpsChunkElements}).");
        }
    }
}
