namespace FedNano.Reconstruction.Cli;

/// <summary>One console progress bar per stage of a workflow; the previous stage's bar is closed when the next starts.</summary>
internal sealed class ProgressBars : IDisposable
{
    private ConsoleProgressBar? _current;

    /// <summary>A <see cref="Workflows.StageProgress"/> that opens a bar for each stage.</summary>
    public IProgress<int>? Stage(string stage, int total)
    {
        _current?.Dispose();
        _current = new ConsoleProgressBar(stage, total);
        return _current;
    }

    public void Dispose()
    {
        _current?.Dispose();
        _current = null;
    }
}
