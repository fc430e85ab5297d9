using System.Globalization;
using System.Text;

namespace FedNano.DictionaryGenerator;

/// <summary>
/// Converts dcmtk's <c>dicom.dic</c> (a tab-separated PS3.6/PS3.7 fact table installed by Debian's
/// dcmtk packages) into our <c>tags.tsv</c>. Only the data is taken; no dcmtk code is used.
/// </summary>
public static class DcmtkConverter
{
    /// <summary>
    /// dcmtk pseudo VRs and what PS3.6 says for the attributes that carry them. The default VR
    /// (the one used for implicit VR data) is listed first.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> PseudoVRs = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Offsets in the DICOMDIR (0004,1200/1202/1400/1420/1504): PS3.6 says UL.
        ["up"] = "UL",
        // "US or SS" depending on Pixel Representation (smallest/largest pixel value, LUT descriptors...).
        ["xs"] = "US/SS",
        // "OB or OW": overlay/curve/audio/waveform data. PS3.5 A.1 makes these OW in implicit VR.
        ["ox"] = "OW/OB",
        // Pixel Data (7FE0,0010): "OB or OW"; OW in implicit VR (PS3.5 A.1).
        ["px"] = "OW/OB",
        // LUT Data (0028,3006): "US or OW" (the retired Gray LUT Data is overridden below).
        ["lt"] = "US/OW",
        // Item and delimitation items (FFFE,E000/E00D/E0DD): no VR at all.
        ["na"] = "NONE",
    };

    /// <summary>Per-tag VR overrides applied after the pseudo VR mapping (PS3.6 differs from the generic mapping).</summary>
    public static readonly IReadOnlyDictionary<string, string> VROverrides = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Gray Lookup Table Data (retired): PS3.6 "US or SS or OW".
        ["0028,1200"] = "US/SS/OW",
    };

    /// <summary>Converts the text of <c>dicom.dic</c> to the text of <c>tags.tsv</c>.</summary>
    public static string Convert(string dicText)
    {
        string? sourceLine = null;
        var rows = new List<(uint Sort, string Tag, string VR, string VM, string Keyword, bool Retired)>();
        var lineNo = 0;
        foreach (var raw in dicText.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.StartsWith('#'))
            {
                if (sourceLine is null && line.Contains("Generated automatically from", StringComparison.Ordinal))
                    sourceLine = line.TrimStart('#', ' ');
                continue;
            }
            if (line.Trim().Length == 0) continue;
            var f = line.Split('\t');
            if (f.Length != 5) throw new FormatException($"dicom.dic line {lineNo}: expected 5 tab-separated fields, got {f.Length}.");
            var version = f[4].Trim();
            // DICOM, DICOM/retired, DICOM/DICONDE, DICOM/DICOS are public PS3.6 entries. GENERIC/PRIVATE/ILLEGAL
            // (generic group length, private creator) are handled in code by DicomDictionary.
            if (!version.StartsWith("DICOM", StringComparison.Ordinal)) continue;
            var retired = version == "DICOM/retired";
            var tag = ConvertTag(f[0].Trim(), lineNo);
            var keyword = f[2].Trim();
            if (keyword.StartsWith("RETIRED_", StringComparison.Ordinal)) keyword = keyword["RETIRED_".Length..];
            var vr = f[1].Trim();
            if (PseudoVRs.TryGetValue(vr, out var mapped)) vr = mapped;
            if (VROverrides.TryGetValue(tag, out var overridden)) vr = overridden;
            var sort = uint.Parse(tag.Replace(",", "", StringComparison.Ordinal).Replace('x', '0'), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            rows.Add((sort, tag, vr, f[3].Trim(), keyword, retired));
        }

        rows.Sort((a, b) => a.Sort != b.Sort ? a.Sort.CompareTo(b.Sort) : string.CompareOrdinal(a.Tag, b.Tag));

        var sb = new StringBuilder();
        sb.Append("# FedNano DICOM data dictionary: public data elements of PS3.6 Table 6-1 (incl. DICONDE/DICOS), file meta (0002)\n");
        sb.Append("# and the PS3.7 command elements (group 0000). Written by:\n");
        sb.Append("#   dotnet run --project DicomService/DictionaryGenerator -- --from-dcmtk /usr/share/libdcmtk17/dicom.dic\n");
        sb.Append("# Source: dcmtk dicom.dic (").Append(sourceLine ?? "version unknown").Append(")\n");
        sb.Append("# Pseudo VRs mapped to PS3.6: up->UL, xs->US/SS, ox->OW/OB, px->OW/OB, lt->US/OW ((0028,1200): US/SS/OW), na->NONE (items).\n");
        sb.Append("# tag: GGGG,EEEE hex; x = any hex digit (repeating groups, even groups only). vr: default VR first, '/'-separated.\n");
        sb.Append("# retired: Y/N. Keywords are the PS3.6 keywords (dcmtk's RETIRED_ prefix removed).\n");
        sb.Append("#tag\tvr\tvm\tkeyword\tretired\n");
        foreach (var r in rows)
            sb.Append(r.Tag).Append('\t').Append(r.VR).Append('\t').Append(r.VM).Append('\t').Append(r.Keyword).Append('\t').Append(r.Retired ? 'Y' : 'N').Append('\n');
        return sb.ToString();
    }

    /// <summary>Converts <c>(gggg,eeee)</c> or range forms like <c>(6000-60FF,3000)</c> to <c>60xx,3000</c>.</summary>
    private static string ConvertTag(string tag, int lineNo)
    {
        if (!tag.StartsWith('(') || !tag.EndsWith(')')) throw new FormatException($"dicom.dic line {lineNo}: bad tag '{tag}'.");
        var parts = tag[1..^1].Split(',');
        if (parts.Length != 2) throw new FormatException($"dicom.dic line {lineNo}: bad tag '{tag}'.");
        return ConvertPart(parts[0], tag, lineNo) + "," + ConvertPart(parts[1], tag, lineNo);
    }

    private static string ConvertPart(string part, string tag, int lineNo)
    {
        if (part.Length == 4) return part.ToUpperInvariant();
        var range = part.Split('-');
        // Only the plain "low-high" form (even numbers) occurs in the public entries; -o-/-u- are private/generic.
        if (range.Length != 2 || range[0].Length != 4 || range[1].Length != 4)
            throw new FormatException($"dicom.dic line {lineNo}: unsupported range '{tag}'.");
        var lo = range[0].ToUpperInvariant();
        var hi = range[1].ToUpperInvariant();
        var chars = new char[4];
        for (var i = 0; i < 4; i++)
        {
            if (lo[i] == hi[i]) chars[i] = lo[i];
            else if (lo[i] == '0' && hi[i] == 'F') chars[i] = 'x';
            else throw new FormatException($"dicom.dic line {lineNo}: range '{tag}' cannot be written with x digits.");
        }
        return new string(chars);
    }
}
