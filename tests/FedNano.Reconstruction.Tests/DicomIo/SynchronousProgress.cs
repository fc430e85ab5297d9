namespace FedNano.Reconstruction.Tests.DicomIo;

/// <summary>An <see cref="IProgress{T}"/> that runs its handler on the reporting thread (Progress&lt;T&gt; posts asynchronously).</summary>
internal sealed class SynchronousProgress(Action<int> handler) : IProgress<int>
{
    public void Report(int value) => handler(value);
}
