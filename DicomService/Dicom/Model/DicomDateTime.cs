using System.Globalization;

namespace FedNano.Dicom;

/// <summary>Parsing and formatting of DA, TM and DT values (PS3.5 Table 6.2-1).</summary>
public static class DicomDateTime
{
    /// <summary>Parses YYYYMMDD (also the retired YYYY.MM.DD form); null when empty or invalid.</summary>
    public static DateOnly? ParseDate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var s = text.Trim().Replace(".", "", StringComparison.Ordinal);
        return DateOnly.TryParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    }

    /// <summary>Parses HH, HHMM, HHMMSS or HHMMSS.FFFFFF (and the retired HH:MM:SS form); null when invalid.</summary>
    public static TimeOnly? ParseTime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var s = text.Trim().Replace(":", "", StringComparison.Ordinal);
        var frac = 0L;
        var dot = s.IndexOf('.');
        if (dot >= 0)
        {
            var f = s[(dot + 1)..];
            if (f.Length is 0 or > 6 || !f.All(char.IsAsciiDigit)) return null;
            frac = long.Parse(f.PadRight(6, '0'), CultureInfo.InvariantCulture);
            s = s[..dot];
        }
        if (s.Length is not (2 or 4 or 6) || !s.All(char.IsAsciiDigit)) return null;
        var h = int.Parse(s[..2], CultureInfo.InvariantCulture);
        var m = s.Length >= 4 ? int.Parse(s[2..4], CultureInfo.InvariantCulture) : 0;
        var sec = s.Length >= 6 ? int.Parse(s[4..6], CultureInfo.InvariantCulture) : 0;
        if (sec == 60) sec = 59; // leap second
        if (h > 23 || m > 59 || sec > 59) return null;
        return new TimeOnly(h, m, sec).Add(TimeSpan.FromTicks(frac * 10));
    }

    /// <summary>Parses YYYY[MM[DD[HH[MM[SS[.F{1-6}]]]]]][&amp;ZZXX]; null when invalid.</summary>
    public static DateTimeOffset? ParseDateTime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var s = text.Trim();
        var offset = TimeSpan.Zero;
        var signAt = s.IndexOfAny(['+', '-'], 4);
        if (signAt > 0)
        {
            var z = s[(signAt + 1)..];
            if (z.Length != 4 || !z.All(char.IsAsciiDigit)) return null;
            offset = new TimeSpan(int.Parse(z[..2], CultureInfo.InvariantCulture), int.Parse(z[2..], CultureInfo.InvariantCulture), 0);
            if (s[signAt] == '-') offset = -offset;
            s = s[..signAt];
        }
        var datePart = s.Length >= 8 ? s[..8] : s;
        if (datePart.Length is not (4 or 6 or 8) || !datePart.All(char.IsAsciiDigit)) return null;
        var year = int.Parse(datePart[..4], CultureInfo.InvariantCulture);
        var month = datePart.Length >= 6 ? int.Parse(datePart[4..6], CultureInfo.InvariantCulture) : 1;
        var day = datePart.Length >= 8 ? int.Parse(datePart[6..8], CultureInfo.InvariantCulture) : 1;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return null;
        var time = s.Length > 8 ? ParseTime(s[8..]) : TimeOnly.MinValue;
        if (time is null) return null;
        return new DateTimeOffset(new DateOnly(year, month, day).ToDateTime(time.Value), offset);
    }

    /// <summary>Formats a time as HHMMSS, with .FFFFFF when it has a fractional second.</summary>
    public static string FormatTime(TimeOnly time)
    {
        var micro = time.Ticks % TimeSpan.TicksPerSecond / 10;
        return micro == 0
            ? time.ToString("HHmmss", CultureInfo.InvariantCulture)
            : time.ToString("HHmmss", CultureInfo.InvariantCulture) + "." + micro.ToString("D6", CultureInfo.InvariantCulture);
    }
}
