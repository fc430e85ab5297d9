using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FedNano.Dicom;
using FedNano.Dicom.Tests.TestData;

namespace FedNano.Dicom.Tests.Interop;

/// <summary>One element as another reader shows it: tag, nesting depth, VR as printed, and the value as text.</summary>
/// <param name="Text">Values separated by backslash (strings, numbers, tags or hex byte pairs, as the reader prints them).</param>
/// <param name="Items">Item count of a sequence when the reader says it; null when unknown or not a sequence.</param>
internal sealed record PeerElement(DicomTag Tag, int Depth, string VR, string Text, bool IsSequence, int? Items = null);

/// <summary>How a reader renders characters outside ASCII.</summary>
internal enum PeerText
{
    /// <summary>Decoded text, as a Unicode string.</summary>
    Decoded,
    /// <summary>One '.' per non-ASCII byte of the encoded value (gdcmdump).</summary>
    DotPerNonAsciiByte,
}

/// <summary>Parsers for dcmdump, gdcmdump and our pydicom walker, and the comparison of what they show with the probes.</summary>
internal static partial class PeerElements
{
    [GeneratedRegex(@"^(?<indent> *)\((?<g>[0-9a-fA-F]{4}),(?<e>[0-9a-fA-F]{4})\) (?<vr>\S\S)(?: \((?<vr2>[A-Z][A-Z])\))? (?<value>.*?)\s*# *(?<len>\d+|u/l),")]
    private static partial Regex DumpLine();

    [GeneratedRegex(@"#=(\d+)\)")]
    private static partial Regex ItemCount();

    /// <summary>Parses `dcmdump -q -Un +L [+U8]` or `gdcmdump` output (both print tags as (gggg,eeee), 2 spaces per nesting level for items).</summary>
    public static List<PeerElement> ParseDump(string output)
    {
        var list = new List<PeerElement>();
        var inDataset = false;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("# Dicom-Data-Set", StringComparison.Ordinal)) { inDataset = true; continue; }
            if (!inDataset) continue;
            var m = DumpLine().Match(line.TrimEnd('\r'));
            if (!m.Success) continue;
            var tag = new DicomTag(ushort.Parse(m.Groups["g"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                                   ushort.Parse(m.Groups["e"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            if (tag.Group == 0xFFFE) continue;
            var vr = m.Groups["vr2"].Success ? m.Groups["vr2"].Value : m.Groups["vr"].Value;
            var value = m.Groups["value"].Value;
            var isSequence = vr == "SQ" || value.StartsWith("(Sequence", StringComparison.Ordinal);
            int? items = null;
            if (isSequence && ItemCount().Match(value) is { Success: true } c) items = int.Parse(c.Groups[1].Value, CultureInfo.InvariantCulture);
            if (value.StartsWith("(no value", StringComparison.Ordinal)) value = "";
            list.Add(new PeerElement(tag, m.Groups["indent"].Value.Length / 4, vr, value, isSequence, items));
        }
        return list;
    }

    /// <summary>The Python program that walks a file with pydicom and prints its elements as JSON.</summary>
    public const string PydicomWalker = """
        import sys, json
        import pydicom
        from pydicom.multival import MultiValue
        from pydicom.tag import BaseTag

        def norm(v):
            if isinstance(v, (bytes, bytearray)):
                return {"hex": v.hex()}
            if isinstance(v, BaseTag):
                return "%08X" % int(v)
            if isinstance(v, (list, tuple, MultiValue)):
                return [norm(x) for x in v]
            if isinstance(v, int):
                return int(v)
            if isinstance(v, float):
                return float(v)
            return str(v)

        def walk(ds, depth, out):
            for elem in ds:
                vr = getattr(elem.VR, "value", elem.VR)
                tag = "%08X" % int(elem.tag)
                if int(elem.tag) == 0x7FE00010:
                    continue
                if vr == "SQ":
                    out.append({"tag": tag, "depth": depth, "vr": "SQ", "items": len(elem.value)})
                    for item in elem.value:
                        walk(item, depth + 1, out)
                else:
                    out.append({"tag": tag, "depth": depth, "vr": vr, "value": norm(elem.value)})

        ds = pydicom.dcmread(sys.argv[1])
        out = []
        walk(ds, 0, out)
        print(json.dumps({"transfer_syntax": str(ds.file_meta.TransferSyntaxUID), "elements": out}))
        """;

    /// <summary>Parses the walker's JSON.</summary>
    public static (string TransferSyntax, List<PeerElement> Elements) ParsePydicom(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var list = new List<PeerElement>();
        foreach (var e in doc.RootElement.GetProperty("elements").EnumerateArray())
        {
            var tag = DicomTag.Parse(e.GetProperty("tag").GetString()!);
            var depth = e.GetProperty("depth").GetInt32();
            var vr = e.GetProperty("vr").GetString()!;
            if (vr == "SQ")
            {
                list.Add(new PeerElement(tag, depth, vr, "", true, e.GetProperty("items").GetInt32()));
                continue;
            }
            list.Add(new PeerElement(tag, depth, vr, JsonValueText(e.GetProperty("value")), false));
        }
        return (doc.RootElement.GetProperty("transfer_syntax").GetString()!, list);
    }

    private static string JsonValueText(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Array => string.Join('\\', v.EnumerateArray().Select(JsonValueText)),
        JsonValueKind.Object when v.TryGetProperty("hex", out var hex) => string.Join('\\', Chunk(hex.GetString()!)),
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.Null => "",
        _ => v.GetRawText(),
    };

    private static IEnumerable<string> Chunk(string hex)
    {
        for (var i = 0; i + 1 < hex.Length; i += 2) yield return hex.Substring(i, 2);
    }

    /// <summary>Our own reading of a dataset, rendered the same way (so one comparison serves every reader).</summary>
    public static List<PeerElement> FromDataset(DicomDataset ds, int depth = 0, List<PeerElement>? list = null)
    {
        list ??= [];
        foreach (var item in ds)
        {
            switch (item)
            {
                case DicomSequence s:
                    list.Add(new PeerElement(s.Tag, depth, "SQ", "", true, s.Items.Count));
                    foreach (var child in s.Items) FromDataset(child, depth + 1, list);
                    break;
                case DicomElement e when e.VR is DicomVR.OB or DicomVR.UN or DicomVR.OW:
                    list.Add(new PeerElement(e.Tag, depth, e.VR.ToString(),
                        string.Join('\\', e.Value.GetMemory().ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture))), false));
                    break;
                case DicomElement e:
                    list.Add(new PeerElement(e.Tag, depth, e.VR.ToString(), ds.GetString(e.Tag) ?? "", false));
                    break;
            }
        }
        return list;
    }

    /// <summary>Fails the test listing every probe the reader shows differently (or not at all, or at another depth).</summary>
    public static void AssertProbes(string reader, IReadOnlyList<Probe> probes, IReadOnlyList<PeerElement> seen, Encoding textEncoding,
        PeerText textMode = PeerText.Decoded, string? rawOutput = null)
    {
        var problems = new List<string>();
        foreach (var p in probes)
        {
            var candidates = seen.Where(e => e.Tag == p.Tag).ToList();
            if (candidates.Count == 0) { problems.Add($"{p.Tag}: not shown at all (expected {p})"); continue; }
            var atDepth = candidates.Where(e => e.Depth == p.Depth).ToList();
            if (atDepth.Count == 0) { problems.Add($"{p.Tag}: shown at depth {candidates[0].Depth}, expected {p.Depth}"); continue; }
            var e = atDepth[0];
            if (!Matches(p, e, textEncoding, textMode, out var why)) problems.Add($"{p.Tag} {p.VR}: {why}");
        }
        if (problems.Count > 0)
            Assert.Fail($"{reader} disagrees on {problems.Count} element(s):\n  " + string.Join("\n  ", problems)
                        + (rawOutput is null ? "" : "\n--- output ---\n" + (rawOutput.Length > 6000 ? rawOutput[..6000] : rawOutput)));
    }

    private static bool Matches(Probe p, PeerElement e, Encoding textEncoding, PeerText mode, out string why)
    {
        why = "";
        if (p.Kind == ProbeKind.Sequence)
        {
            var expected = int.Parse(p.Values[0], CultureInfo.InvariantCulture);
            if (!e.IsSequence) { why = $"not shown as a sequence ({e.VR} '{e.Text}')"; return false; }
            if (e.Items is { } n && n != expected) { why = $"{n} items, expected {expected}"; return false; }
            return true;
        }
        if (e.IsSequence) { why = "shown as a sequence"; return false; }
        var text = Unbracket(e.Text);
        var ok = p.Kind switch
        {
            ProbeKind.Text => TextEquals(text, p, textEncoding, mode),
            ProbeKind.Numbers => NumbersEqual(text, p.Values),
            ProbeKind.Tags => TagsEqual(text, p.Values),
            _ => false,
        };
        // Elements whose VR the reader cannot know (private ones in implicit VR) or binary VRs are shown as bytes.
        if (!ok && TryHex(text, out var bytes))
            ok = bytes.AsSpan().SequenceEqual(p.Encoded) || Trimmed(bytes).SequenceEqual(Trimmed(p.Encoded));
        if (!ok) why = $"shown as {e.VR} '{Cut(e.Text)}', expected '{Cut(p.ExpectedText)}'";
        return ok;
    }

    private static string Cut(string s) => s.Length > 120 ? s[..120] + "…" : s;

    private static string Unbracket(string s)
    {
        s = s.Trim();
        if (s.StartsWith('[') && s.EndsWith(']')) s = s[1..^1];
        return s.TrimEnd(' ', '\0');
    }

    private static bool TextEquals(string shown, Probe p, Encoding textEncoding, PeerText mode)
    {
        var expected = p.ExpectedText;
        if (mode == PeerText.DotPerNonAsciiByte)
        {
            var bytes = p.VR.IsCharacterSetDependent() ? textEncoding.GetBytes(expected) : Encoding.ASCII.GetBytes(expected);
            expected = new string(bytes.Select(b => b < 0x80 ? (char)b : '.').ToArray());
        }
        // Readers differ on whether spaces around backslash-separated values are shown.
        return shown == expected || string.Join('\\', shown.Split('\\').Select(v => v.Trim(' ', '\0'))) == expected;
    }

    private static bool NumbersEqual(string shown, string[] expected)
    {
        var parts = shown.Split('\\', StringSplitOptions.TrimEntries);
        if (parts.Length != expected.Length) return false;
        for (var i = 0; i < parts.Length; i++)
        {
            if (decimal.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
                && decimal.TryParse(expected[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var b) && a == b) continue;
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                || !double.TryParse(expected[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var y)) return false;
            if (Math.Abs(x - y) > 1e-6 * Math.Max(1, Math.Abs(y))) return false;
        }
        return true;
    }

    private static bool TagsEqual(string shown, string[] expected)
    {
        var parts = shown.Split('\\').Select(t => new string(t.Where(char.IsAsciiHexDigit).ToArray()).ToUpperInvariant()).ToArray();
        return parts.SequenceEqual(expected);
    }

    private static bool TryHex(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0) return false;
        var parts = text.Split('\\');
        if (!parts.All(p => p.Length == 2 && p.All(char.IsAsciiHexDigit))) return false;
        bytes = parts.Select(p => byte.Parse(p, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
        return true;
    }

    private static ReadOnlySpan<byte> Trimmed(byte[] b)
    {
        var n = b.Length;
        while (n > 0 && b[n - 1] is 0 or 0x20) n--;
        return b.AsSpan(0, n);
    }
}
