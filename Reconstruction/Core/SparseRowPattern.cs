using System.Globalization;

namespace FedNano.Reconstruction;

/// <summary>
/// Which detector rows are active in a sparsely spaced multidetector: <see cref="Groups"/> groups of
/// <see cref="RowsPerGroup"/> adjacent active rows, separated by <see cref="GapRows"/> inactive rows,
/// starting at 0-based row <see cref="FirstRow"/> of a detector with <see cref="DetectorRows"/> rows.
/// </summary>
public sealed class SparseRowPattern
{
    /// <summary>Creates a pattern and checks that it fits the detector.</summary>
    /// <param name="detectorRows">Rows of the detector.</param>
    /// <param name="groups">Number of active groups (≥ 1).</param>
    /// <param name="rowsPerGroup">Active rows per group (≥ 1).</param>
    /// <param name="gapRows">Inactive rows between consecutive groups (≥ 0).</param>
    /// <param name="firstRow">0-based first active row; null centres the pattern (rounding down).</param>
    /// <exception cref="ArgumentException">A count is out of range or the pattern does not fit the detector.</exception>
    public SparseRowPattern(int detectorRows, int groups, int rowsPerGroup, int gapRows, int? firstRow = null)
    {
        if (detectorRows < 1)
        {
            throw new ArgumentException($"Detector rows must be at least 1 (got {detectorRows}).", nameof(detectorRows));
        }
        if (groups < 1)
        {
            throw new ArgumentException($"A row pattern needs at least 1 group (got {groups}).", nameof(groups));
        }
        if (rowsPerGroup < 1)
        {
            throw new ArgumentException($"A group needs at least 1 row (got {rowsPerGroup}).", nameof(rowsPerGroup));
        }
        if (gapRows < 0)
        {
            throw new ArgumentException($"Gap rows cannot be negative (got {gapRows}).", nameof(gapRows));
        }
        long span = (long)groups * rowsPerGroup + (long)(groups - 1) * gapRows;
        if (span > detectorRows)
        {
            throw new ArgumentException(
                $"Row pattern {groups}x{rowsPerGroup}g{gapRows} spans {span} rows but the detector has only {detectorRows}.",
                nameof(detectorRows));
        }
        int first = firstRow ?? (int)((detectorRows - span) / 2);
        if (first < 0 || first + span > detectorRows)
        {
            throw new ArgumentException(
                $"Row pattern starting at row {first} and spanning {span} rows does not fit the detector's {detectorRows} rows.",
                nameof(firstRow));
        }
        DetectorRows = detectorRows;
        Groups = groups;
        RowsPerGroup = rowsPerGroup;
        GapRows = gapRows;
        FirstRow = first;
        SpanRows = (int)span;
        var active = new List<int>(groups * rowsPerGroup);
        for (int g = 0; g < groups; g++)
        {
            int start = first + g * (rowsPerGroup + gapRows);
            for (int r = 0; r < rowsPerGroup; r++)
            {
                active.Add(start + r);
            }
        }
        ActiveRows = active.AsReadOnly();
    }

    /// <summary>Rows of the detector the pattern lives on.</summary>
    public int DetectorRows { get; }

    /// <summary>Number of active groups.</summary>
    public int Groups { get; }

    /// <summary>Adjacent active rows per group.</summary>
    public int RowsPerGroup { get; }

    /// <summary>Inactive rows between consecutive groups.</summary>
    public int GapRows { get; }

    /// <summary>0-based index of the first active row.</summary>
    public int FirstRow { get; }

    /// <summary>Rows from the first to the last active row inclusive.</summary>
    public int SpanRows { get; }

    /// <summary>0-based indices of the active rows, ascending.</summary>
    public IReadOnlyList<int> ActiveRows { get; }

    /// <summary>True when every detector row is active.</summary>
    public bool IsDense => ActiveRows.Count == DetectorRows;

    /// <summary>A pattern with every row of the detector active ("1x<paramref name="detectorRows"/>").</summary>
    public static SparseRowPattern Dense(int detectorRows) => new(detectorRows, 1, detectorRows, 0, 0);

    /// <summary>Whether the 0-based detector <paramref name="row"/> is active (false outside the detector).</summary>
    public bool IsActive(int row)
    {
        if (row < FirstRow || row >= FirstRow + SpanRows)
        {
            return false;
        }
        return (row - FirstRow) % (RowsPerGroup + GapRows) < RowsPerGroup;
    }

    /// <summary>
    /// Parses "GxR" or "GxRgN" (G groups of R rows, N-row gaps; e.g. "4x4g4"), optionally followed by
    /// "@F" for a 0-based first row (otherwise centred), and checks the result fits <paramref name="detectorRows"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The text is malformed or the pattern does not fit.</exception>
    public static SparseRowPattern Parse(string spec, int detectorRows)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string s = spec.Trim().ToUpperInvariant();
        int? first = null;
        int at = s.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            first = ParseCount(s[(at + 1)..], spec, "first row");
            s = s[..at];
        }
        int x = s.IndexOf('X', StringComparison.Ordinal);
        if (x <= 0)
        {
            throw new ArgumentException($"Row pattern '{spec}' is not of the form GxR[gN][@F], e.g. 4x4g4.", nameof(spec));
        }
        int g = s.IndexOf('G', x + 1);
        int groups = ParseCount(s[..x], spec, "group count");
        int rows = ParseCount(g < 0 ? s[(x + 1)..] : s[(x + 1)..g], spec, "rows per group");
        int gap = g < 0 ? 0 : ParseCount(s[(g + 1)..], spec, "gap");
        if (g < 0 && groups > 1)
        {
            throw new ArgumentException($"Row pattern '{spec}' has {groups} groups but no gap: write e.g. {groups}x{rows}g{rows}.", nameof(spec));
        }
        return new SparseRowPattern(detectorRows, groups, rows, gap, first);
    }

    /// <summary>The canonical text form, "GxRgN@F".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Groups}x{RowsPerGroup}g{GapRows}@{FirstRow}");

    private static int ParseCount(string text, string spec, string what)
    {
        if (text.Length == 0 || !text.All(char.IsAsciiDigit)
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            throw new ArgumentException($"Row pattern '{spec}': {what} '{text}' is not a non-negative integer.", nameof(spec));
        }
        return value;
    }
}
