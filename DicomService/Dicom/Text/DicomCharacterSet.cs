using System.Text;

namespace FedNano.Dicom;

/// <summary>
/// The character repertoire declared by Specific Character Set (0008,0005), PS3.3 C.12.1.1.2, with decoding and
/// encoding of character-set dependent values (SH, LO, ST, LT, UT, PN, UC) per PS3.5 §6.1, including the ISO 2022
/// code extension technique (escape sequences designating G0/G1 sets, reset to the initial sets at delimiters).
/// Instances are immutable and thread-safe.
/// </summary>
/// <remarks>
/// Decoding is lenient: bytes the declared repertoire does not define decode as U+FFFD, high bytes with no G1 set
/// designated decode in the first G1 set declared (Latin-1 when none), and every known ISO 2022 designation is
/// honoured even when (0008,0005) does not declare it. Encoding is strict: it fails rather than substituting.
/// </remarks>
public sealed class DicomCharacterSet
{
    private enum Scheme : byte { Iso2022, Utf8, Gb18030, Gbk }

    /// <summary>What one defined term of PS3.3 Table C.12-2/3/4/5 means.</summary>
    private sealed record TermInfo(string Term, Scheme Scheme, bool CodeExtensions,
        GraphicCharacterSet? G0 = null, GraphicCharacterSet? G1 = null, string? ExtensionTerm = null);

    private static readonly TermInfo[] KnownTerms = BuildKnownTerms();

    private static readonly Dictionary<string, TermInfo> TermsByName =
        KnownTerms.ToDictionary(t => t.Term, StringComparer.Ordinal);

    /// <summary>Lookup by the term with case, spaces, underscores and hyphens removed, for non-standard spellings.</summary>
    private static readonly Dictionary<string, TermInfo> TermsBySquashedName = BuildSquashedLookup();

    private readonly Scheme _scheme;
    private readonly Encoding? _encoding;
    private readonly GraphicCharacterSet _initialG0;
    private readonly GraphicCharacterSet? _initialG1;
    private readonly GraphicCharacterSet _fallbackG1;
    private readonly GraphicCharacterSet[] _designatable;

    private DicomCharacterSet(IReadOnlyList<string> terms, Scheme scheme, bool isDefault, bool codeExtensions,
        GraphicCharacterSet initialG0, GraphicCharacterSet? initialG1, GraphicCharacterSet fallbackG1,
        GraphicCharacterSet[] designatable)
    {
        Terms = terms;
        _scheme = scheme;
        IsDefault = isDefault;
        UsesCodeExtensions = codeExtensions;
        _initialG0 = initialG0;
        _initialG1 = initialG1;
        _fallbackG1 = fallbackG1;
        _designatable = designatable;
        _encoding = scheme switch
        {
            Scheme.Utf8 => Encoding.UTF8, // lone surrogates are rejected before encoding
            Scheme.Gb18030 => CharsetCodePages.Get(54936),
            Scheme.Gbk => CharsetCodePages.Get(936),
            _ => null,
        };
    }

    /// <summary>
    /// The default repertoire (ISO-IR 6, ASCII), used when (0008,0005) is absent or empty. Bytes above 0x7F, which
    /// the default repertoire does not allow but real-world files contain, decode as ISO 8859-1; encoding allows ASCII only.
    /// </summary>
    public static DicomCharacterSet Default { get; } = new([], Scheme.Iso2022, true, false,
        GraphicCharacterSet.Ascii, null, GraphicCharacterSet.Latin1, []);

    /// <summary>ISO_IR 192: Unicode in UTF-8.</summary>
    public static DicomCharacterSet Utf8 { get; } = new(["ISO_IR 192"], Scheme.Utf8, false, false,
        GraphicCharacterSet.Ascii, null, GraphicCharacterSet.Latin1, []);

    /// <summary>
    /// The defined terms as interpreted, in order: non-standard spellings corrected, unknown terms dropped, the empty
    /// first value (default repertoire in G0 with code extensions) kept as "". Empty for <see cref="Default"/>.
    /// Suitable for writing (0008,0005) back.
    /// </summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>True when no Specific Character Set applies: the default repertoire (ISO-IR 6).</summary>
    public bool IsDefault { get; }

    /// <summary>True when the ISO 2022 code extension technique (escape sequences) is in use ("ISO 2022 IR …" terms).</summary>
    public bool UsesCodeExtensions { get; }

    /// <summary>
    /// Interprets the values of Specific Character Set (0008,0005). An empty first value stands for the default
    /// repertoire with code extensions. Never throws: unknown terms are reported through <paramref name="warn"/> and
    /// ignored (the default, Latin-1 tolerant, set when nothing usable remains); misspelt terms (case, "_" / "-" / space
    /// variants such as "ISO-IR 100" or "ISO_IR_100") are accepted with a warning; invalid combinations (code extensions
    /// with a term that allows none) are repaired with a warning.
    /// </summary>
    /// <param name="values">The values of (0008,0005), as split at backslash.</param>
    /// <param name="warn">Receives a message for each problem found; may be null.</param>
    /// <returns>The character set; <see cref="Default"/> when no term applies.</returns>
    public static DicomCharacterSet FromSpecificCharacterSet(IReadOnlyList<string> values, Action<string>? warn = null)
    {
        if (values is null || values.Count == 0) return Default;
        // resolved[i] == null means "default repertoire" (only kept for the first position).
        var resolved = new List<TermInfo?>(values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            var raw = (values[i] ?? string.Empty).Trim(' ', '\0', '\t', '\r', '\n');
            if (raw.Length == 0)
            {
                if (i == 0) resolved.Add(null);
                else warn?.Invoke($"Specific Character Set value {i + 1} is empty; ignored.");
                continue;
            }
            var info = Lookup(raw, warn);
            if (info is null)
            {
                warn?.Invoke(i == 0 && values.Count == 1
                    ? $"Unknown Specific Character Set term '{raw}'; using the default repertoire (ISO-IR 6, Latin-1 tolerant)."
                    : $"Unknown Specific Character Set term '{raw}' (value {i + 1}); ignored.");
                if (i == 0) resolved.Add(null);
                continue;
            }
            resolved.Add(info);
        }

        var first = resolved[0];
        if (resolved.Count == 1 || first is { CodeExtensions: false, ExtensionTerm: null })
        {
            // A single term, or a first term that allows no code extensions (UTF-8, GB18030, GBK).
            if (resolved.Count > 1)
                warn?.Invoke($"Specific Character Set '{first!.Term}' does not allow code extensions; other values ignored.");
            return first is null ? Default : Single(first);
        }

        // Several values: the ISO 2022 code extension technique (PS3.5 §6.1.2.5).
        var terms = new List<TermInfo?>(resolved.Count);
        for (int i = 0; i < resolved.Count; i++)
        {
            var info = resolved[i];
            if (info is { CodeExtensions: false })
            {
                if (info.ExtensionTerm is null)
                {
                    warn?.Invoke($"Specific Character Set '{info.Term}' cannot be used with code extensions; ignored.");
                    continue;
                }
                warn?.Invoke($"Specific Character Set '{info.Term}' used with code extensions; read as '{info.ExtensionTerm}'.");
                info = TermsByName[info.ExtensionTerm];
            }
            if (info is not null && terms.Contains(info)) continue;
            terms.Add(info);
        }
        if (terms.Count == 1) return terms[0] is null ? Default : Single(terms[0]!);
        return Extended(terms);
    }

    /// <summary>
    /// Decodes a whole value, multiple values (backslash separated) included, into text. Padding is kept.
    /// VRs that are not character-set dependent (AE, CS, DA, UI, …) are read in the default repertoire.
    /// </summary>
    /// <param name="bytes">The value bytes.</param>
    /// <param name="vr">The value representation, which decides where ISO 2022 state resets (PS3.5 §6.1.2.5.3).</param>
    /// <returns>The decoded text; never throws (undecodable bytes become U+FFFD).</returns>
    public string Decode(ReadOnlySpan<byte> bytes, DicomVR vr)
    {
        if (bytes.IsEmpty) return string.Empty;
        if (IsDefaultRepertoireVR(vr)) return Encoding.Latin1.GetString(bytes);
        if (_encoding is not null) return _encoding.GetString(bytes);
        if (System.Text.Ascii.IsValid(bytes) && bytes.IndexOf((byte)0x1B) < 0) return Encoding.ASCII.GetString(bytes);
        return DecodeIso2022(bytes, vr);
    }

    /// <summary>Encodes text; throws when a character is not representable (see <see cref="TryEncode"/>).</summary>
    /// <param name="text">The value, multiple values joined with backslash.</param>
    /// <param name="vr">The value representation.</param>
    /// <returns>The encoded bytes, unpadded.</returns>
    /// <exception cref="ArgumentException">A character cannot be encoded in this character set.</exception>
    public byte[] Encode(string text, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryEncodeCore(text, vr, out var bytes, out int failedAt)) return bytes;
        char c = text[failedAt];
        string what = char.IsSurrogate(c) && failedAt + 1 < text.Length && char.IsSurrogatePair(c, text[failedAt + 1])
            ? $"'{text.Substring(failedAt, 2)}' (U+{char.ConvertToUtf32(c, text[failedAt + 1]):X4})"
            : $"'{c}' (U+{(int)c:X4})";
        string where = IsDefaultRepertoireVR(vr)
            ? $"{vr} values, which allow only the default repertoire (ASCII)"
            : $"Specific Character Set {this}";
        throw new ArgumentException($"Character {what} at index {failedAt} cannot be encoded in {where}.", nameof(text));
    }

    /// <summary>
    /// Encodes text for a value of <paramref name="vr"/>. With code extensions, escape sequences designate the sets
    /// declared in (0008,0005) as needed, and the initial G0 set is designated again before each delimiter (backslash;
    /// '^' and '=' for PN; CR, LF, FF, TAB) and at the end of the value, as PS3.5 §6.1.2.5.3 and Annexes H–K show.
    /// </summary>
    /// <param name="text">The value, multiple values joined with backslash.</param>
    /// <param name="vr">The value representation; VRs that are not character-set dependent allow ASCII only.</param>
    /// <param name="bytes">The encoded bytes (unpadded), or an empty array on failure.</param>
    /// <returns>False when some character is not representable.</returns>
    public bool TryEncode(string text, DicomVR vr, out byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryEncodeCore(text, vr, out bytes, out _);
    }

    /// <summary>True when every character of <paramref name="text"/> can be encoded in a character-set dependent value.</summary>
    /// <param name="text">The text to check.</param>
    /// <returns>True when <see cref="Encode"/> would succeed for SH, LO, ST, LT, UT, PN and UC.</returns>
    public bool CanEncode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryEncodeCore(text, DicomVR.LO, out _, out _);
    }

    /// <summary>The terms joined with backslash, as in (0008,0005); "ISO_IR 6" for the default repertoire.</summary>
    /// <returns>A readable description.</returns>
    public override string ToString() => IsDefault ? "ISO_IR 6 (default repertoire)" : string.Join('\\', Terms);

    // ------------------------------------------------------------------ construction

    private static TermInfo[] BuildKnownTerms()
    {
        var list = new List<TermInfo>
        {
            new("ISO_IR 192", Scheme.Utf8, false),
            new("GB18030", Scheme.Gb18030, false),
            new("GBK", Scheme.Gbk, false),
            new("ISO 2022 IR 6", Scheme.Iso2022, true, GraphicCharacterSet.Ascii),
            new("ISO 2022 IR 87", Scheme.Iso2022, true, GraphicCharacterSet.JisX0208),
            new("ISO 2022 IR 159", Scheme.Iso2022, true, GraphicCharacterSet.JisX0212),
            new("ISO 2022 IR 149", Scheme.Iso2022, true, null, GraphicCharacterSet.KsX1001),
            new("ISO 2022 IR 58", Scheme.Iso2022, true, null, GraphicCharacterSet.Gb2312),
        };
        (string Number, GraphicCharacterSet G0, GraphicCharacterSet G1)[] singleByte =
        [
            ("100", GraphicCharacterSet.Ascii, GraphicCharacterSet.Latin1),
            ("101", GraphicCharacterSet.Ascii, GraphicCharacterSet.Latin2),
            ("109", GraphicCharacterSet.Ascii, GraphicCharacterSet.Latin3),
            ("110", GraphicCharacterSet.Ascii, GraphicCharacterSet.Latin4),
            ("144", GraphicCharacterSet.Ascii, GraphicCharacterSet.Cyrillic),
            ("127", GraphicCharacterSet.Ascii, GraphicCharacterSet.Arabic),
            ("126", GraphicCharacterSet.Ascii, GraphicCharacterSet.Greek),
            ("138", GraphicCharacterSet.Ascii, GraphicCharacterSet.Hebrew),
            ("148", GraphicCharacterSet.Ascii, GraphicCharacterSet.Latin5),
            ("203", GraphicCharacterSet.Ascii, GraphicCharacterSet.Latin9),
            ("13", GraphicCharacterSet.Romaji, GraphicCharacterSet.Katakana),
            ("166", GraphicCharacterSet.Ascii, GraphicCharacterSet.Thai),
        ];
        foreach (var (number, g0, g1) in singleByte)
        {
            list.Add(new TermInfo($"ISO_IR {number}", Scheme.Iso2022, false, g0, g1, $"ISO 2022 IR {number}"));
            list.Add(new TermInfo($"ISO 2022 IR {number}", Scheme.Iso2022, true, g0, g1));
        }
        return [.. list];
    }

    private static string Squash(string term)
    {
        var sb = new StringBuilder(term.Length);
        foreach (char c in term)
            if (c is not (' ' or '_' or '-')) sb.Append(char.ToUpperInvariant(c));
        return sb.ToString();
    }

    private static Dictionary<string, TermInfo> BuildSquashedLookup()
    {
        var map = new Dictionary<string, TermInfo>(StringComparer.Ordinal);
        foreach (var t in KnownTerms) map[Squash(t.Term)] = t;
        map["UTF8"] = TermsByName["ISO_IR 192"];
        map["GB2312"] = TermsByName["GBK"]; // GBK is a superset of EUC-CN
        return map;
    }

    /// <summary>The term's meaning, or null when unknown; "ISO_IR 6" and "ISO 2022 IR 6" alone map to the default.</summary>
    private static TermInfo? Lookup(string raw, Action<string>? warn)
    {
        if (TermsByName.TryGetValue(raw, out var info)) return info;
        var squashed = Squash(raw);
        if (squashed == "ISOIR6")
        {
            if (raw != "ISO_IR 6") warn?.Invoke($"Non-standard Specific Character Set term '{raw}' read as the default repertoire.");
            return TermsByName["ISO 2022 IR 6"];
        }
        if (!TermsBySquashedName.TryGetValue(squashed, out info)) return null;
        warn?.Invoke($"Non-standard Specific Character Set term '{raw}' read as '{info.Term}'.");
        return info;
    }

    /// <summary>One term, no other values.</summary>
    private static DicomCharacterSet Single(TermInfo info)
    {
        switch (info.Scheme)
        {
            case Scheme.Utf8:
                return Utf8;
            case Scheme.Gb18030:
            case Scheme.Gbk:
                return new DicomCharacterSet([info.Term], info.Scheme, false, false,
                    GraphicCharacterSet.Ascii, null, GraphicCharacterSet.Latin1, []);
        }
        if (info.G0 == GraphicCharacterSet.Ascii && info.G1 is null) return Default; // ISO 2022 IR 6 alone
        return Extended([info], codeExtensions: info.CodeExtensions);
    }

    /// <summary>A set built from ISO 2022 terms; a null first entry is the default repertoire.</summary>
    private static DicomCharacterSet Extended(IReadOnlyList<TermInfo?> terms, bool codeExtensions = true)
    {
        var first = terms[0];
        // Multi-byte G0 sets cannot be the initial set (delimiters must be single bytes): start in ASCII then.
        var initialG0 = first?.G0 is { IsDoubleByte: false } g0 ? g0 : GraphicCharacterSet.Ascii;
        var initialG1 = first?.G1;
        var designatable = new List<GraphicCharacterSet> { initialG0 };
        if (initialG1 is not null) designatable.Add(initialG1);
        foreach (var t in terms)
        {
            if (t?.G0 is { } a && !designatable.Contains(a)) designatable.Add(a);
            if (t?.G1 is { } b && !designatable.Contains(b)) designatable.Add(b);
        }
        if (!designatable.Contains(GraphicCharacterSet.Ascii)) designatable.Add(GraphicCharacterSet.Ascii);
        var fallbackG1 = initialG1 ?? designatable.FirstOrDefault(s => s.IsG1) ?? GraphicCharacterSet.Latin1;
        var names = terms.Select(t => t?.Term ?? string.Empty).ToArray();
        return new DicomCharacterSet(names, Scheme.Iso2022, false, codeExtensions, initialG0, initialG1, fallbackG1,
            [.. designatable]);
    }

    // ------------------------------------------------------------------ decoding and encoding

    /// <summary>VRs restricted to the default repertoire whatever (0008,0005) says.</summary>
    private static bool IsDefaultRepertoireVR(DicomVR vr) => vr.IsString() && !vr.IsCharacterSetDependent();

    /// <summary>Characters before which, and after which, the initial code elements are in force (PS3.5 §6.1.2.5.3).</summary>
    private static bool IsReset(int c, DicomVR vr) => c switch
    {
        '\\' => !vr.IsSingleValuedText(),
        '^' or '=' => vr == DicomVR.PN,
        '\r' or '\n' or '\f' or '\t' => true,
        _ => false,
    };

    private string DecodeIso2022(ReadOnlySpan<byte> bytes, DicomVR vr)
    {
        var sb = new StringBuilder(bytes.Length);
        var g0 = _initialG0;
        var g1 = _initialG1;
        int i = 0;
        while (i < bytes.Length)
        {
            byte b = bytes[i];
            if (b == 0x1B)
            {
                i += GraphicCharacterSet.ParseEscape(bytes, i, out var designated);
                if (designated is null) continue; // unknown or malformed escape: dropped
                if (designated.IsG1) g1 = designated;
                else g0 = designated;
                continue;
            }
            if (b < 0x80)
            {
                if (g0.IsDoubleByte && b is >= 0x21 and <= 0x7E)
                {
                    if (i + 1 < bytes.Length && bytes[i + 1] is >= 0x21 and <= 0x7E)
                    {
                        sb.Append(g0.DecodePair(b, bytes[i + 1]));
                        i += 2;
                    }
                    else
                    {
                        sb.Append('\uFFFD');
                        i++;
                    }
                    continue;
                }
                // Single-byte G0 (ASCII or JIS X 0201 Romaji read as ASCII), or space/control in a double-byte G0.
                sb.Append((char)b);
                if (IsReset(b, vr))
                {
                    g0 = _initialG0;
                    g1 = _initialG1;
                }
                i++;
                continue;
            }
            var set = g1 ?? _fallbackG1;
            if (set.IsDoubleByte)
            {
                if (b >= 0xA1 && i + 1 < bytes.Length && bytes[i + 1] is >= 0xA1 and <= 0xFE)
                {
                    sb.Append(set.DecodePair(b, bytes[i + 1]));
                    i += 2;
                }
                else
                {
                    sb.Append('\uFFFD');
                    i++;
                }
                continue;
            }
            sb.Append(set.DecodeHigh(b));
            i++;
        }
        return sb.ToString();
    }

    private bool TryEncodeCore(string text, DicomVR vr, out byte[] bytes, out int failedAt)
    {
        failedAt = -1;
        bytes = [];
        int firstNonAscii = text.AsSpan().IndexOfAnyExceptInRange('\0', '\u007F');
        if (firstNonAscii < 0)
        {
            bytes = Encoding.ASCII.GetBytes(text);
            return true;
        }
        if (IsDefaultRepertoireVR(vr))
        {
            failedAt = firstNonAscii;
            return false;
        }
        switch (_scheme)
        {
            case Scheme.Utf8:
            case Scheme.Gb18030:
                failedAt = FindLoneSurrogate(text);
                if (failedAt >= 0) return false;
                bytes = _encoding!.GetBytes(text);
                return true;
            case Scheme.Gbk:
                try
                {
                    bytes = _encoding!.GetBytes(text);
                    return true;
                }
                catch (EncoderFallbackException ex)
                {
                    failedAt = Math.Clamp(ex.Index, 0, text.Length - 1);
                    bytes = [];
                    return false;
                }
            default:
                return TryEncodeIso2022(text, vr, out bytes, out failedAt);
        }
    }

    private static int FindLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(c)) return i;
        }
        return -1;
    }

    private bool TryEncodeIso2022(string text, DicomVR vr, out byte[] bytes, out int failedAt)
    {
        var output = new List<byte>(text.Length * 2 + 8);
        var g0 = _initialG0;
        var g1 = _initialG1;
        bytes = [];
        failedAt = -1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (IsReset(c, vr))
            {
                if (g0 != _initialG0) output.AddRange(_initialG0.Escape);
                output.Add((byte)c);
                g0 = _initialG0;
                g1 = _initialG1;
                continue;
            }
            if (c < 0x80 && g0.IsAsciiCompatible)
            {
                output.Add((byte)c);
                continue;
            }
            int n = g0.TryEncode(c, out byte b1, out byte b2);
            if (n == 0 && g1 is not null) n = g1.TryEncode(c, out b1, out b2);
            if (n == 0 && UsesCodeExtensions)
            {
                foreach (var candidate in _designatable)
                {
                    if (candidate == g0 || candidate == g1) continue;
                    n = candidate.TryEncode(c, out b1, out b2);
                    if (n == 0) continue;
                    output.AddRange(candidate.Escape);
                    if (candidate.IsG1) g1 = candidate;
                    else g0 = candidate;
                    break;
                }
            }
            if (n == 0)
            {
                failedAt = i;
                return false;
            }
            output.Add(b1);
            if (n == 2) output.Add(b2);
        }
        if (g0 != _initialG0) output.AddRange(_initialG0.Escape);
        bytes = [.. output];
        return true;
    }
}
