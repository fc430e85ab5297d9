using System.Globalization;

namespace FedNano.Dicom;

/// <summary>Formatting of DS (decimal string) values within their 16-character limit.</summary>
public static class DicomDecimalString
{
    /// <summary>
    /// Formats <paramref name="value"/> as the shortest round-trip text that fits 16 characters, reducing precision
    /// only when it must. NaN and infinities are not representable in DS and are rejected.
    /// </summary>
    public static string Format(double value)
    {
        if (!double.IsFinite(value)) throw new DicomDataException($"DS cannot hold {value}.");
        var s = value.ToString("R", CultureInfo.InvariantCulture);
        if (s.Length <= 16) return s;
        for (var digits = 15; digits > 0; digits--)
        {
            s = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (s.Length <= 16) return s;
        }
        return value.ToString("E3", CultureInfo.InvariantCulture);
    }
}
