using TorchSharp;

namespace FedNano.Reconstruction.Tests.Networks;

/// <summary>
/// Runs torch with one intra-op thread until disposed. Training loops in tests use it: on a busy 2-core machine
/// libtorch's OpenMP team and the .NET thread pool (the FBP's backprojection kernel) oversubscribe the cores, and
/// the spinning OpenMP workers made a 35 ms training step take 0.3–0.7 s.
/// </summary>
internal sealed class CascadeSingleThread : IDisposable
{
    private readonly int _previous;

    public CascadeSingleThread()
    {
        _previous = torch.get_num_threads();
        torch.set_num_threads(1);
    }

    public void Dispose() => torch.set_num_threads(_previous);
}
