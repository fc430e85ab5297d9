using System.Runtime.InteropServices;
using TorchSharp;

namespace FedNano.Reconstruction.Torch;

/// <summary>
/// Process-wide libtorch start-up: applies the oneDNN ISA cap this project needs for correct convolution
/// gradients, and picks the compute device (CUDA when libtorch reports it, otherwise CPU).
/// </summary>
/// <remarks>
/// On AMD EPYC hosts with AVX-512, libtorch 2.10's oneDNN JIT convolutions compute wrong input gradients when
/// the output channel count is not a multiple of the SIMD block; capping oneDNN at AVX selects kernels that
/// match a float64 reference (see tests/FedNano.TorchRuntime.Tests). oneDNN reads the variable once, at its
/// first primitive, so the cap must be set natively before any convolution runs; a value the caller already
/// set wins.
/// </remarks>
public static class TorchRuntime
{
    /// <summary>The oneDNN ISA cap applied when the environment sets none.</summary>
    public const string OneDnnMaxCpuIsa = "AVX";

    private static readonly Lock Gate = new();
    private static bool _initialized;

    /// <summary>Applies the oneDNN cap and loads libtorch (idempotent, thread-safe).</summary>
    public static void Initialize()
    {
        lock (Gate)
        {
            if (_initialized)
            {
                return;
            }
            if (!OperatingSystem.IsWindows()
                && Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is null
                && Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") is null)
            {
                // .NET's SetEnvironmentVariable does not reach the native environment on Unix.
                _ = NativeMethods.setenv("DNNL_MAX_CPU_ISA", OneDnnMaxCpuIsa, 0);
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

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        internal static extern int setenv(string name, string value, int overwrite);
    }
}
