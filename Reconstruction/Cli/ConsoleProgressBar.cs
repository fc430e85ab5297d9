using System.Diagnostics;
using System.Globalization;

namespace FedNano.Reconstruction.Cli;

/// <summary>
/// A text progress bar on standard error: redrawn in place on a terminal, one line per 10 % when redirected
/// (so logs stay readable). Reports are item counts out of <c>total</c>.
/// </summary>
internal sealed class ConsoleProgressBar : IProgress<int>, IDisposable
{
    private const int Width = 30;
    private readonly string _label;
    private readonly int _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly Lock _gate = new();
    private int _done;
    private int _lastDecile = -1;
    private long _lastDrawTicks;
    private string _detail = string.Empty;
    private int _lastLength;

    public ConsoleProgressBar(string label, int total)
    {
        _label = label;
        _total = Math.Max(1, total);
        Draw(force: true);
    }

    public void Report(int value)
    {
        lock (_gate)
        {
            _done = Math.Clamp(value, 0, _total);
            Draw(force: _done == _total);
        }
    }

    /// <summary>Reports progress with a short status shown after the bar (e.g. the current loss).</summary>
    public void Report(int value, string detail)
    {
        lock (_gate)
        {
            _detail = detail.Length == 0 ? string.Empty : " " + detail;
            _done = Math.Clamp(value, 0, _total);
            Draw(force: _done == _total);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_interactive)
            {
                Console.Error.WriteLine();
            }
        }
    }

    private void Draw(bool force)
    {
        double fraction = (double)_done / _total;
        double elapsed = _clock.Elapsed.TotalSeconds;
        string eta = _done > 0 && _done < _total
            ? string.Create(CultureInfo.InvariantCulture, $", ~{elapsed / fraction - elapsed:F0} s left")
            : string.Empty;
        string text = string.Create(CultureInfo.InvariantCulture,
            $"{_label} [{new string('#', (int)(fraction * Width)).PadRight(Width)}] {_done}/{_total} {elapsed:F1} s{eta}{_detail}");
        if (_interactive)
        {
            // Redraw at most 10 times a second.
            long now = _clock.ElapsedTicks;
            if (!force && now - _lastDrawTicks < Stopwatch.Frequency / 10)
            {
                return;
            }
            _lastDrawTicks = now;
            Console.Error.Write("\r" + text.PadRight(_lastLength));
            _lastLength = text.Length;
        }
        else
        {
            int decile = (int)(fraction * 10);
            if (decile != _lastDecile || force && _lastDecile < 10)
            {
                _lastDecile = decile;
                Console.Error.WriteLine(text);
            }
        }
    }
}
