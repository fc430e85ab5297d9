namespace FedNano.Dicom;

/// <summary>
/// A PN value: up to three component groups (alphabetic, ideographic, phonetic) separated by '=',
/// each with five components separated by '^' (family, given, middle, prefix, suffix).
/// </summary>
/// <param name="Alphabetic">Single-byte representation.</param>
/// <param name="Ideographic">Ideographic representation (may be empty).</param>
/// <param name="Phonetic">Phonetic representation (may be empty).</param>
public sealed record DicomPersonName(string Alphabetic, string Ideographic, string Phonetic)
{
    /// <summary>Splits a PN value into its component groups.</summary>
    public static DicomPersonName Parse(string value)
    {
        var groups = value.Split('=');
        return new DicomPersonName(groups[0], groups.Length > 1 ? groups[1] : "", groups.Length > 2 ? groups[2] : "");
    }

    /// <summary>Family name of the alphabetic group.</summary>
    public string FamilyName => Component(Alphabetic, 0);
    /// <summary>Given name of the alphabetic group.</summary>
    public string GivenName => Component(Alphabetic, 1);
    /// <summary>Middle name of the alphabetic group.</summary>
    public string MiddleName => Component(Alphabetic, 2);
    /// <summary>Name prefix of the alphabetic group.</summary>
    public string Prefix => Component(Alphabetic, 3);
    /// <summary>Name suffix of the alphabetic group.</summary>
    public string Suffix => Component(Alphabetic, 4);

    private static string Component(string group, int index)
    {
        var parts = group.Split('^');
        return index < parts.Length ? parts[index].Trim() : "";
    }

    /// <summary>The encoded form with trailing empty groups removed.</summary>
    public override string ToString()
    {
        var s = $"{Alphabetic}={Ideographic}={Phonetic}";
        return s.TrimEnd('=');
    }
}
