using System.Globalization;

namespace FedNano.Dicom;

/// <summary>A DICOM attribute tag: a (group, element) pair of 16-bit numbers.</summary>
public readonly record struct DicomTag(ushort Group, ushort Element) : IComparable<DicomTag>
{
    /// <summary>Creates a tag from its 32-bit value <c>0xGGGGEEEE</c>.</summary>
    public DicomTag(uint value) : this((ushort)(value >> 16), (ushort)value) { }

    /// <summary>The 32-bit value <c>0xGGGGEEEE</c>; tags sort by this value.</summary>
    public uint Value => ((uint)Group << 16) | Element;

    /// <summary>True for tags in odd groups (private data elements).</summary>
    public bool IsPrivate => (Group & 1) == 1 && Group > 0x0008;

    /// <summary>True for a private creator element (gggg,0010-00FF) in an odd group.</summary>
    public bool IsPrivateCreator => IsPrivate && Element >= 0x0010 && Element <= 0x00FF;

    /// <summary>For a private data element (gggg,xxyy) the private creator tag (gggg,00xx) that reserves it.</summary>
    public DicomTag PrivateCreatorTag => new(Group, (ushort)(Element >> 8));

    /// <summary>True for group length elements (gggg,0000).</summary>
    public bool IsGroupLength => Element == 0x0000;

    /// <inheritdoc />
    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    /// <summary>Tag order comparison.</summary>
    public static bool operator <(DicomTag a, DicomTag b) => a.Value < b.Value;
    /// <summary>Tag order comparison.</summary>
    public static bool operator >(DicomTag a, DicomTag b) => a.Value > b.Value;
    /// <summary>Tag order comparison.</summary>
    public static bool operator <=(DicomTag a, DicomTag b) => a.Value <= b.Value;
    /// <summary>Tag order comparison.</summary>
    public static bool operator >=(DicomTag a, DicomTag b) => a.Value >= b.Value;

    /// <summary>Formats as <c>(GGGG,EEEE)</c> in upper-case hexadecimal.</summary>
    public override string ToString() => $"({Group:X4},{Element:X4})";

    /// <summary>Formats as the 8 hex digits used by DICOM JSON (<c>GGGGEEEE</c>).</summary>
    public string ToJsonKey() => Value.ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses <c>(GGGG,EEEE)</c>, <c>GGGG,EEEE</c> or <c>GGGGEEEE</c> (hex, any case).
    /// </summary>
    public static bool TryParse(string? text, out DicomTag tag)
    {
        tag = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (s.StartsWith('(') && s.EndsWith(')')) s = s[1..^1];
        s = s.Replace(",", "", StringComparison.Ordinal);
        if (s.Length != 8) return false;
        if (!uint.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v)) return false;
        tag = new DicomTag(v);
        return true;
    }

    /// <summary>Parses a tag like <see cref="TryParse"/>, throwing on bad input.</summary>
    public static DicomTag Parse(string text) =>
        TryParse(text, out var tag) ? tag : throw new FormatException($"'{text}' is not a DICOM tag (expected GGGGEEEE or (GGGG,EEEE)).");

    /// <summary>Item (FFFE,E000).</summary>
    public static readonly DicomTag Item = new(0xFFFE, 0xE000);
    /// <summary>Item Delimitation Item (FFFE,E00D).</summary>
    public static readonly DicomTag ItemDelimitationItem = new(0xFFFE, 0xE00D);
    /// <summary>Sequence Delimitation Item (FFFE,E0DD).</summary>
    public static readonly DicomTag SequenceDelimitationItem = new(0xFFFE, 0xE0DD);
}
