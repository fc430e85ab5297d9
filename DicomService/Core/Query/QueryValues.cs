using System.Globalization;

namespace FedNano.DicomService.Core.Query;

/// <summary>
/// Normal forms of indexed values, shared by ingest (what the index stores) and query parsing (what it is compared with),
/// so that any index implementation compares like with like.
/// </summary>
public static class QueryValues
{
    /// <summary>A DA value as <c>YYYYMMDD</c> (the retired <c>YYYY.MM.DD</c> is accepted); null when not a valid date.</summary>
    public static string? NormalizeDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var s = value.Trim().Replace(".", "", StringComparison.Ordinal);
        if (s.Length != 8 || !s.All(char.IsAsciiDigit)) return null;
        return DateOnly.TryParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? s : null;
    }

    /// <summary>
    /// A TM value as <c>HHMMSS.FFFFFF</c>: components the value leaves out are the lowest (or with <paramref name="upper"/>,
    /// the highest) they can be, so <c>10</c> covers 10:00:00.000000 to 10:59:59.999999. Null when not a valid time.
    /// </summary>
    public static string? NormalizeTime(string? value, bool upper = false)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var s = value.Trim().Replace(":", "", StringComparison.Ordinal);
        var fraction = "";
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            fraction = s[(dot + 1)..];
            s = s[..dot];
            if (fraction.Length > 6 || !fraction.All(char.IsAsciiDigit)) return null;
            if (s.Length != 6) return null;
        }
        if (s.Length is not (2 or 4 or 6) || !s.All(char.IsAsciiDigit)) return null;
        var hour = int.Parse(s[..2], CultureInfo.InvariantCulture);
        var minute = s.Length >= 4 ? int.Parse(s[2..4], CultureInfo.InvariantCulture) : 0;
        var second = s.Length >= 6 ? int.Parse(s[4..6], CultureInfo.InvariantCulture) : 0;
        if (hour > 23 || minute > 59 || second > 60) return null;
        var mm = s.Length >= 4 ? s[2..4] : upper ? "59" : "00";
        var ss = s.Length >= 6 ? s[4..6] : upper ? "59" : "00";
        var ff = dot >= 0 ? fraction.PadRight(6, upper ? '9' : '0') : upper ? "999999" : "000000";
        return s[..2] + mm + ss + "." + ff;
    }

    /// <summary>
    /// A DT value as <c>YYYYMMDDHHMMSS.FFFFFF</c>, ignoring any UTC offset; left-out components are the lowest (or with
    /// <paramref name="upper"/>, the highest) they can be. Null when not a valid date time.
    /// </summary>
    public static string? NormalizeDateTime(string? value, bool upper = false)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var s = value.Trim();
        var sign = s.IndexOfAny(['+', '-'], Math.Min(4, s.Length));
        if (sign > 0) s = s[..sign];
        var datePart = s.Length > 8 ? s[..8] : s;
        if (datePart.Length is not (4 or 6 or 8) || !datePart.All(char.IsAsciiDigit)) return null;
        var month = datePart.Length >= 6 ? int.Parse(datePart[4..6], CultureInfo.InvariantCulture) : 1;
        var day = datePart.Length >= 8 ? int.Parse(datePart[6..8], CultureInfo.InvariantCulture) : 1;
        if (month is < 1 or > 12 || day is < 1 or > 31) return null;
        var date = datePart;
        if (date.Length < 6) date += upper ? "12" : "01";
        if (date.Length < 8) date += upper ? "31" : "01";
        string? time;
        if (s.Length > 8)
        {
            if (s.Length == 9 || s.Length == 11 || s[8..].Contains(':', StringComparison.Ordinal)) return null;
            time = NormalizeTime(s[8..], upper);
        }
        else time = upper ? "235959.999999" : "000000.000000";
        return time is null ? null : date + time;
    }

    /// <summary>A PN value in the form used for case-insensitive matching: upper case, trailing empty components and groups removed.</summary>
    public static string? NormalizePersonName(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var groups = value.Trim().Split('=');
        for (var i = 0; i < groups.Length; i++) groups[i] = groups[i].Trim().TrimEnd('^', ' ').ToUpperInvariant();
        var joined = string.Join('=', groups).TrimEnd('=');
        return joined.Length == 0 ? null : joined;
    }

    /// <summary>
    /// The name components of a PN value (all groups), upper case, each preceded by a space and the whole followed by
    /// one: <c>" DOE JOHN "</c>. Fuzzy matching looks for <c>" TOKEN"</c> prefixes in it.
    /// </summary>
    public static string? PersonNameWords(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var words = value.ToUpperInvariant().Split(['^', '=', ' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length == 0 ? null : " " + string.Join(' ', words) + " ";
    }

    /// <summary>The first value of an IS/US text as an integer; null when empty or not an integer.</summary>
    public static long? ParseInteger(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var first = value.Split('\\')[0].Trim();
        if (long.TryParse(first, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
        return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && d == Math.Floor(d)
            && Math.Abs(d) < 9e18 ? (long)d : null;
    }
}
