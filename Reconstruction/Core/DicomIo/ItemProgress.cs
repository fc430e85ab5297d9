namespace FedNano.Reconstruction.DicomIo;

/// <summary>
/// Counts finished items (files, views, slices) and reports the running count to an <see cref="IProgress{T}"/>;
/// thread-safe, and the reported counts increase strictly even when items finish on several threads.
/// </summary>
internal sealed class ItemProgress(IProgress<int>? progress)
{
    private readonly object _gate = new();
    private int _done;

    /// <summary>Marks one more item finished and reports the new count.</summary>
    public void Advance()
    {
        if (progress is null)
        {
            Interlocked.Increment(ref _done);
            return;
        }
        // Under the lock so that a later count is never reported before an earlier one.
        lock (_gate)
        {
            progress.Report(++_done);
        }
    }
}
