using System.Globalization;

namespace FedNano.Samples.ReconBenchmark;

/// <summary>
/// The line protocol between the benchmark and its child processes (our workers and the skimage script): each
/// result is one line <c>RESULT key value</c> on standard output; everything else is passed through as log.
/// </summary>
internal sealed class ResultLines
{
    private const string Prefix = "RESULT ";
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Writes one result line.</summary>
    public static void Write(string key, string value) => Console.WriteLine(Prefix + key + " " + value);

    /// <summary>Writes one result line with a number list, comma separated.</summary>
    public static void Write(string key, IEnumerable<double> values) =>
        Write(key, string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));

    /// <summary>Writes one result line with a number.</summary>
    public static void Write(string key, double value) => Write(key, value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Collects the result lines of a child's standard output.</summary>
    public static ResultLines Parse(string stdout)
    {
        var lines = new ResultLines();
        foreach (string line in stdout.Split('\n'))
        {
            string trimmed = line.TrimEnd('\r');
            if (!trimmed.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }
            string rest = trimmed[Prefix.Length..];
            int space = rest.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
            {
                lines._values[rest[..space]] = rest[(space + 1)..];
            }
        }
        return lines;
    }

    /// <summary>The text of <paramref name="key"/>, or null.</summary>
    public string? Text(string key) => _values.GetValueOrDefault(key);

    /// <summary>The numbers of <paramref name="key"/> (empty when absent).</summary>
    public IReadOnlyList<double> Numbers(string key) => Text(key) is { } text
        ? text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray()
        : [];

    /// <summary>The single number of <paramref name="key"/>, or null.</summary>
    public double? Number(string key) => Numbers(key) is [var v] ? v : null;
}
