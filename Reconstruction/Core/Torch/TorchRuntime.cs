using TorchSharp;

namespace FedNano.Reconstruction.Torch;

/// <summary>
/// Process-wide libtorch start-up (loads the natives once) and the choice of compute device (CUDA when libtorch
/// reports it, otherwise CPU).
/// </summary>
/// <remarks>
/// On AMD EPYC hosts with AVX-512, libtorch 2.10's oneDNN JIT convolutions compute wrong input gradients when a 3×3
/// convolution's output channel count is not a multiple of 16. The networks avoid those shapes
/// (<see cref="Networks.ConvBlock"/> pads its output maps), so oneDNN runs with its full instruction set: capping it at AVX
/// (<c>DNNL_MAX_CPU_ISA=AVX</c>, which also fixes the gradients) made training 3–4× slower. A cap set in the environment
/// before start-up is still honoured by oneDNN.
/// </remarks>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool _initialized;

    /// <summary>Loads libtorch (idempotent, thread-safe).</summary>
    public static void Initialize()
    {
        lock (Gate)
        {
            if (_initialized)
            {
                return;
            }
            using var probe = torch.zeros(1);
            _initialized = true;
        }
    }

    /// <summary>
    /// Resolves a device name: "auto" (or null) picks CUDA when available, else CPU; "cpu" and "cuda" are explicit.
    /// </summary>
    /// <exception cref="ArgumentException">The name is unknown, or "cuda" was asked for and libtorch has no CUDA.</exception>
    public static torch.Device ResolveDevice(string? name)
    {
        Initialize();
        switch ((name ?? "auto").Trim().ToLowerInvariant())
        {
            case "auto":
                return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
            case "cpu":
                return torch.CPU;
            case "cuda":
                if (!torch.cuda.is_available())
                {
                    throw new ArgumentException("Device 'cuda' was requested but libtorch reports no CUDA device (is the CPU build of TorchSharp installed?).", nameof(name));
                }
                return torch.CUDA;
            default:
                throw new ArgumentException($"Unknown device '{name}'; use auto, cpu or cuda.", nameof(name));
        }
    }
}
