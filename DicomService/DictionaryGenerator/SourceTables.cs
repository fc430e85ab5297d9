using System.Globalization;
using System.Text.RegularExpressions;

namespace FedNano.DictionaryGenerator;

/// <summary>One row of <c>tags.tsv</c>.</summary>
/// <param name="Pattern">Tag as written, <c>GGGG,EEEE</c> with optional lower-case <c>x</c> digits.</param>
/// <param name="Tag">The tag value with x digits as 0.</param>
/// <param name="Mask">0xFFFFFFFF for exact tags; x digits clear their nibble.</param>
/// <param name="VRs">Slash-separated VRs, default first, or NONE.</param>
public sealed record TagRow(string Pattern, uint Tag, uint Mask, string VRs, string VM, string Keyword, bool Retired)
{
    /// <summary>True for exact (non-range) tags.</summary>
    public bool IsExact => Mask == 0xFFFFFFFF;
}

/// <summary>One row of <c>uids.tsv</c>.</summary>
public sealed record UidRow(string Uid, string Name, string Keyword, string Type, bool Retired);

/// <summary>One row of <c>private-ctpd.tsv</c>: element (gggg,xxEE) reserved by <paramref name="Creator"/>.</summary>
public sealed record PrivateRow(string Creator, ushort Group, byte Element, string VRs, string VM, string Keyword);

/// <summary>Reads and validates the three source tables.</summary>
public static partial class SourceTables
{
    /// <summary>The VR codes of PS3.5 §6.2, plus NONE for items and delimiters.</summary>
    public static readonly IReadOnlySet<string> ValidVRs = new HashSet<string>(StringComparer.Ordinal)
    {
        "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW",
        "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV", "NONE",
    };

    /// <summary>The names of FedNano.Dicom.DicomUidType.</summary>
    public static readonly IReadOnlyList<string> UidTypes =
    [
        "TransferSyntax", "SopClass", "MetaSopClass", "WellKnownSopInstance", "WellKnownFrameOfReference",
        "CodingScheme", "ApplicationContextName", "ServiceClass", "Other",
    ];

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex IdentifierRegex();

    [GeneratedRegex(@"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$")]
    private static partial Regex UidRegex();

    [GeneratedRegex(@"^([0-9]+(-([0-9]+)?n|-[0-9]+)?|[0-9]*n)$")]
    private static partial Regex VmRegex();

    private static IEnumerable<(int LineNo, string[] Fields)> Rows(string text, string file, int columns)
    {
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var f = line.Split('\t');
            if (f.Length != columns) throw new FormatException($"{file}:{lineNo}: expected {columns} tab-separated columns, got {f.Length}.");
            foreach (var field in f)
                if (field.Length == 0 || field != field.Trim())
                    throw new FormatException($"{file}:{lineNo}: empty field or stray whitespace.");
            yield return (lineNo, f);
        }
    }

    private static void CheckVRs(string vrs, string file, int lineNo)
    {
        var parts = vrs.Split('/');
        foreach (var p in parts)
            if (!ValidVRs.Contains(p) || (p == "NONE" && parts.Length > 1))
                throw new FormatException($"{file}:{lineNo}: bad VR '{vrs}'.");
        if (parts.Distinct(StringComparer.Ordinal).Count() != parts.Length) throw new FormatException($"{file}:{lineNo}: repeated VR in '{vrs}'.");
    }

    private static void CheckVM(string vm, string file, int lineNo)
    {
        if (!VmRegex().IsMatch(vm)) throw new FormatException($"{file}:{lineNo}: bad VM '{vm}'.");
    }

    private static void CheckIdentifier(string keyword, string file, int lineNo)
    {
        if (!IdentifierRegex().IsMatch(keyword)) throw new FormatException($"{file}:{lineNo}: '{keyword}' is not a valid keyword/identifier.");
    }

    private static bool ParseFlag(string value, string file, int lineNo) => value switch
    {
        "Y" => true,
        "N" => false,
        _ => throw new FormatException($"{file}:{lineNo}: retired flag must be Y or N, got '{value}'."),
    };

    /// <summary>Parses <c>GGGG,EEEE</c> with optional <c>x</c> digits into value and mask.</summary>
    public static (uint Tag, uint Mask) ParsePattern(string pattern)
    {
        if (pattern.Length != 9 || pattern[4] != ',') throw new FormatException($"bad tag pattern '{pattern}'.");
        uint tag = 0, mask = 0;
        foreach (var c in pattern.Remove(4, 1))
        {
            tag <<= 4;
            mask <<= 4;
            if (c == 'x') continue;
            var v = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => throw new FormatException($"bad tag pattern '{pattern}' (hex digits upper-case, x for any)."),
            };
            tag |= (uint)v;
            mask |= 0xF;
        }
        return (tag, mask);
    }

    /// <summary>Reads <c>tags.tsv</c>: tag, vr, vm, keyword, retired.</summary>
    public static List<TagRow> ReadTags(string text, string file = "tags.tsv")
    {
        var rows = new List<TagRow>();
        var keywords = new HashSet<string>(StringComparer.Ordinal);
        var tags = new HashSet<(uint, uint)>();
        foreach (var (lineNo, f) in Rows(text, file, 5))
        {
            (uint tag, uint mask) parsed;
            try { parsed = ParsePattern(f[0]); }
            catch (FormatException e) { throw new FormatException($"{file}:{lineNo}: {e.Message}", e); }
            CheckVRs(f[1], file, lineNo);
            CheckVM(f[2], file, lineNo);
            CheckIdentifier(f[3], file, lineNo);
            if (!keywords.Add(f[3])) throw new FormatException($"{file}:{lineNo}: duplicate keyword '{f[3]}'.");
            if (!tags.Add(parsed)) throw new FormatException($"{file}:{lineNo}: duplicate tag '{f[0]}'.");
            if (parsed.mask != 0xFFFFFFFF && (parsed.tag & 0x00010000) != 0)
                throw new FormatException($"{file}:{lineNo}: repeating group ranges must start at an even group.");
            rows.Add(new TagRow(f[0], parsed.tag, parsed.mask, f[1], f[2], f[3], ParseFlag(f[4], file, lineNo)));
        }
        return rows;
    }

    /// <summary>Reads <c>uids.tsv</c>: uid, name, keyword, type, retired.</summary>
    public static List<UidRow> ReadUids(string text, string file = "uids.tsv")
    {
        var rows = new List<UidRow>();
        var keywords = new HashSet<string>(StringComparer.Ordinal);
        var uids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (lineNo, f) in Rows(text, file, 5))
        {
            if (f[0].Length > 64 || !UidRegex().IsMatch(f[0])) throw new FormatException($"{file}:{lineNo}: '{f[0]}' is not a valid UID.");
            if (!uids.Add(f[0])) throw new FormatException($"{file}:{lineNo}: duplicate UID '{f[0]}'.");
            if (f[1].Contains("\"\"\"", StringComparison.Ordinal)) throw new FormatException($"{file}:{lineNo}: name must not contain triple quotes.");
            CheckIdentifier(f[2], file, lineNo);
            if (!keywords.Add(f[2])) throw new FormatException($"{file}:{lineNo}: duplicate keyword '{f[2]}'.");
            if (!UidTypes.Contains(f[3])) throw new FormatException($"{file}:{lineNo}: unknown type '{f[3]}' (one of {string.Join(", ", UidTypes)}).");
            rows.Add(new UidRow(f[0], f[1], f[2], f[3], ParseFlag(f[4], file, lineNo)));
        }
        return rows;
    }

    /// <summary>Reads <c>private-ctpd.tsv</c>: creator, group, element byte, vr, vm, keyword.</summary>
    public static List<PrivateRow> ReadPrivate(string text, string file = "private-ctpd.tsv")
    {
        var rows = new List<PrivateRow>();
        var keys = new HashSet<(string, ushort, byte)>();
        var keywords = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (lineNo, f) in Rows(text, file, 6))
        {
            if (f[0].Length > 64 || f[0].Contains('\\', StringComparison.Ordinal) || f[0].Contains("\"\"\"", StringComparison.Ordinal))
                throw new FormatException($"{file}:{lineNo}: bad private creator '{f[0]}' (an LO value).");
            if (f[1].Length != 4 || !ushort.TryParse(f[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var group)
                || (group & 1) == 0 || group <= 0x0008)
                throw new FormatException($"{file}:{lineNo}: '{f[1]}' is not a private (odd) group.");
            if (f[2].Length != 2 || !byte.TryParse(f[2], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var element))
                throw new FormatException($"{file}:{lineNo}: element must be two hex digits (the low byte of gggg,xxEE), got '{f[2]}'.");
            CheckVRs(f[3], file, lineNo);
            CheckVM(f[4], file, lineNo);
            CheckIdentifier(f[5], file, lineNo);
            if (!keys.Add((f[0], group, element))) throw new FormatException($"{file}:{lineNo}: duplicate entry.");
            if (!keywords.Add(f[5])) throw new FormatException($"{file}:{lineNo}: duplicate keyword '{f[5]}'.");
            rows.Add(new PrivateRow(f[0], group, element, f[3], f[4], f[5]));
        }
        return rows;
    }
}
