using System.Globalization;

namespace FedNano.Samples.ReconstructionService;

/// <summary>A one-line text progress bar on stderr, redrawn in place when stderr is a terminal and printed at most every 5 % otherwise.</summary>
internal sealed class ProgressLine(string label)
{
    private const int Width = 30;
    private int _lastPercent = -1;

    public void Report(double percent, string? detail = null)
    {
        int p = (int)Math.Clamp(Math.Floor(percent), 0, 100);
        bool terminal = !Console.IsErrorRedirected;
        if (!terminal && p < 100 && p - _lastPercent < 5) return;
        if (p == _lastPercent && !terminal) return;
        _lastPercent = p;
        int filled = p * Width / 100;
        var line = string.Create(CultureInfo.InvariantCulture, $"{label,-14} [{new string('#', filled)}{new string('.', Width - filled)}] {p,3} % {detail}");
        if (terminal) Console.Error.Write("\r" + line.PadRight(Math.Max(line.Length, Console.WindowWidth > 0 ? Math.Min(Console.WindowWidth - 1, 120) : 0)));
        else Console.Error.WriteLine(line);
    }

    public void Done(string? detail = null)
    {
        Report(100, detail);
        if (!Console.IsErrorRedirected) Console.Error.WriteLine();
    }
}
