namespace FedNano.Reconstruction.Projection;

/// <summary>
/// Thread-safe progress over views: counts completed views and reports the running count to an
/// <see cref="IProgress{T}"/> about a hundred times per run (every view would flood a UI thread).
/// </summary>
internal sealed class ViewProgress
{
    private readonly IProgress<int>? _progress;
    private readonly int _total;
    private readonly int _step;
    private int _done;

    public ViewProgress(IProgress<int>? progress, int totalViews)
    {
        _progress = progress;
        _total = totalViews;
        _step = Math.Max(1, totalViews / 100);
    }

    public void ViewDone()
    {
        if (_progress is null)
        {
            return;
        }
        int done = Interlocked.Increment(ref _done);
        if (done % _step == 0 || done == _total)
        {
            _progress.Report(done);
        }
    }
}
