using System.Runtime.InteropServices;
using TorchSharp;

namespace FedNano.TorchRuntime.Tests;

/// <summary>
/// One libtorch initialisation per test process (libtorch takes 1–2 s to start).
/// Every test class that touches torch, or must run in a process where torch ran, joins
/// <see cref="TorchCollection"/>.
/// </summary>
public sealed class TorchFixture
{
    /// <summary>
    /// oneDNN ISA cap applied before the first convolution runs. On this host (AMD EPYC, AVX-512)
    /// libtorch 2.10's oneDNN JIT convolution kernels (jit:avx512_core, jit:avx2) compute a wrong
    /// input gradient (backward-data) whenever the layer's output channel count is not a multiple of
    /// the SIMD block (16 / 8), e.g. the usual 1-channel last layer: relative errors of 20–90 %,
    /// and NaN once uninitialised padding is read. Capping oneDNN at AVX (or SSE41) selects kernels
    /// that match a float64 reference. See <see cref="TorchRuntimeTests"/>.Conv2d_gradients_match_a_float64_reference.
    /// </summary>
    public const string OneDnnMaxCpuIsa = "AVX";

    public TorchFixture()
    {
        // Must happen before oneDNN creates its first primitive (it reads the variable once).
        // A value already set by the caller wins. .NET's Environment.SetEnvironmentVariable does
        // not reach the native environment on Unix, hence setenv.
        if (Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is null
            && Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") is null
            && !OperatingSystem.IsWindows())
        {
            _ = NativeMethods.setenv("DNNL_MAX_CPU_ISA", OneDnnMaxCpuIsa, 0);
        }

        // Touching torch loads libLibTorchSharp.so + libtorch; on Debian 12 this only works with
        // the weak-version patch applied by build/TorchSharp.Native.targets.
        torch.manual_seed(1234);
        CudaAvailable = torch.cuda.is_available();
        Device = CudaAvailable ? torch.CUDA : torch.CPU;
        using var probe = torch.ones(2, 2, device: Device);
        using var sum = probe.sum();
        ProbeSum = sum.item<float>();
    }

    public bool CudaAvailable { get; }

    /// <summary>The device a caller would pick: CUDA when libtorch reports it, otherwise CPU.</summary>
    public torch.Device Device { get; }

    public float ProbeSum { get; }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        internal static extern int setenv(string name, string value, int overwrite);
    }
}

[CollectionDefinition(Name)]
public sealed class TorchCollection : ICollectionFixture<TorchFixture>
{
    public const string Name = "torch";
}
