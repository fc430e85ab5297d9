using System.Text;

namespace FedNano.Dicom;

/// <summary>
/// One ISO 2022 graphic character set (a "code element" of PS3.5 §6.1.2.5): what it is designated to (G0 or G1),
/// the escape sequence that designates it, and how its characters map to Unicode. Single-byte G1 sets are 96-character
/// sets occupying GR (0xA0–0xFF); double-byte sets are 94×94 sets, 7-bit in G0 (JIS X 0208/0212) and with the high bit
/// set in G1 (KS X 1001, GB 2312). Tables are built lazily from the framework's code pages.
/// </summary>
internal sealed class GraphicCharacterSet
{
    private enum Kind { Ascii, SingleByte, DoubleByte }

    private readonly Kind _kind;
    private readonly Lazy<SingleByteTable>? _single;
    private readonly Lazy<DoubleByteTable>? _double;

    private GraphicCharacterSet(string name, bool isG1, Kind kind, byte[] escape,
        Lazy<SingleByteTable>? single = null, Lazy<DoubleByteTable>? dbl = null)
    {
        Name = name;
        IsG1 = isG1;
        _kind = kind;
        Escape = escape;
        _single = single;
        _double = dbl;
    }

    /// <summary>Registry name, e.g. "ISO-IR 87".</summary>
    public string Name { get; }

    /// <summary>True when designated to G1 (GR bytes), false for G0 (GL bytes).</summary>
    public bool IsG1 { get; }

    /// <summary>The designation escape sequence, ESC included.</summary>
    public byte[] Escape { get; }

    /// <summary>True for 94×94 double-byte sets.</summary>
    public bool IsDoubleByte => _kind == Kind.DoubleByte;

    /// <summary>True for G0 sets whose GL bytes are ASCII (ISO-IR 6, and JIS X 0201 Romaji which DICOM treats alike).</summary>
    public bool IsAsciiCompatible => _kind == Kind.Ascii;

    public override string ToString() => Name;

    /// <summary>Decodes one GR byte (0x80–0xFF) of a single-byte G1 set.</summary>
    public char DecodeHigh(byte b) => _single!.Value.Decode[b];

    /// <summary>Decodes one double-byte character; the high bits of <paramref name="b1"/> and <paramref name="b2"/> are ignored.</summary>
    public char DecodePair(byte b1, byte b2)
    {
        int row = (b1 & 0x7F) - 0x21, col = (b2 & 0x7F) - 0x21;
        if ((uint)row >= 94 || (uint)col >= 94) return '\uFFFD';
        return _double!.Value.Decode[row * 94 + col];
    }

    /// <summary>
    /// Encodes one character as it is written in this set's area: GL bytes for G0, GR bytes for G1.
    /// Returns the number of bytes (1 or 2), or 0 when the character is not in this set.
    /// </summary>
    public int TryEncode(char c, out byte b1, out byte b2)
    {
        b1 = b2 = 0;
        switch (_kind)
        {
            case Kind.Ascii:
                if (c >= 0x80) return 0;
                b1 = (byte)c;
                return 1;
            case Kind.SingleByte:
                if (!_single!.Value.Encode.TryGetValue(c, out var b)) return 0;
                b1 = b;
                return 1;
            default:
                var table = _double!.Value;
                if (!table.Encode.TryGetValue(c, out var code) && !(table.Aliases.TryGetValue(c, out var alias)
                    && table.Encode.TryGetValue(alias, out code))) return 0;
                byte high = IsG1 ? (byte)0x80 : (byte)0;
                b1 = (byte)((code >> 8) | high);
                b2 = (byte)((code & 0xFF) | high);
                return 2;
        }
    }

    // ---- The sets of PS3.3 Table C.12-3 and C.12-4 ----

    private static byte[] Esc(string s) => [0x1B, .. Encoding.ASCII.GetBytes(s)];

    private static GraphicCharacterSet Latin(string name, string escape, int codePage) =>
        new(name, true, Kind.SingleByte, Esc(escape), new Lazy<SingleByteTable>(() => SingleByteTable.FromCodePage(codePage)));

    /// <summary>ISO-IR 6 (ASCII) in G0, ESC ( B.</summary>
    public static readonly GraphicCharacterSet Ascii = new("ISO-IR 6", false, Kind.Ascii, Esc("(B"));

    /// <summary>JIS X 0201 Romaji in G0, ESC ( J. Decoded and encoded as ASCII (0x5C stays backslash, the DICOM delimiter).</summary>
    public static readonly GraphicCharacterSet Romaji = new("ISO-IR 14", false, Kind.Ascii, Esc("(J"));

    /// <summary>JIS X 0201 Katakana in G1, ESC ) I.</summary>
    public static readonly GraphicCharacterSet Katakana = new("ISO-IR 13", true, Kind.SingleByte, Esc(")I"),
        new Lazy<SingleByteTable>(SingleByteTable.JisX0201Katakana));

    /// <summary>ISO 8859-1 right part in G1.</summary>
    public static readonly GraphicCharacterSet Latin1 = Latin("ISO-IR 100", "-A", 28591);
    /// <summary>ISO 8859-2 right part in G1.</summary>
    public static readonly GraphicCharacterSet Latin2 = Latin("ISO-IR 101", "-B", 28592);
    /// <summary>ISO 8859-3 right part in G1.</summary>
    public static readonly GraphicCharacterSet Latin3 = Latin("ISO-IR 109", "-C", 28593);
    /// <summary>ISO 8859-4 right part in G1.</summary>
    public static readonly GraphicCharacterSet Latin4 = Latin("ISO-IR 110", "-D", 28594);
    /// <summary>ISO 8859-5 right part in G1.</summary>
    public static readonly GraphicCharacterSet Cyrillic = Latin("ISO-IR 144", "-L", 28595);
    /// <summary>ISO 8859-6 right part in G1.</summary>
    public static readonly GraphicCharacterSet Arabic = Latin("ISO-IR 127", "-G", 28596);
    /// <summary>ISO 8859-7 right part in G1.</summary>
    public static readonly GraphicCharacterSet Greek = Latin("ISO-IR 126", "-F", 28597);
    /// <summary>ISO 8859-8 right part in G1.</summary>
    public static readonly GraphicCharacterSet Hebrew = Latin("ISO-IR 138", "-H", 28598);
    /// <summary>ISO 8859-9 right part in G1.</summary>
    public static readonly GraphicCharacterSet Latin5 = Latin("ISO-IR 148", "-M", 28599);
    /// <summary>ISO 8859-15 right part in G1.</summary>
    public static readonly GraphicCharacterSet Latin9 = Latin("ISO-IR 203", "-b", 28605);
    /// <summary>TIS 620-2533 right part in G1 (via windows-874).</summary>
    public static readonly GraphicCharacterSet Thai = Latin("ISO-IR 166", "-T", 874);

    /// <summary>JIS X 0208 in G0, ESC $ B.</summary>
    public static readonly GraphicCharacterSet JisX0208 = new("ISO-IR 87", false, Kind.DoubleByte, Esc("$B"),
        dbl: new Lazy<DoubleByteTable>(DoubleByteTable.JisX0208));

    /// <summary>JIS X 0212 in G0, ESC $ ( D.</summary>
    public static readonly GraphicCharacterSet JisX0212 = new("ISO-IR 159", false, Kind.DoubleByte, Esc("$(D"),
        dbl: new Lazy<DoubleByteTable>(DoubleByteTable.JisX0212));

    /// <summary>KS X 1001 in G1, ESC $ ) C.</summary>
    public static readonly GraphicCharacterSet KsX1001 = new("ISO-IR 149", true, Kind.DoubleByte, Esc("$)C"),
        dbl: new Lazy<DoubleByteTable>(DoubleByteTable.KsX1001));

    /// <summary>GB 2312 in G1, ESC $ ) A.</summary>
    public static readonly GraphicCharacterSet Gb2312 = new("ISO-IR 58", true, Kind.DoubleByte, Esc("$)A"),
        dbl: new Lazy<DoubleByteTable>(DoubleByteTable.Gb2312));

    /// <summary>Every designation the decoder recognises, whatever (0008,0005) declares (lenient reading).</summary>
    private static readonly (byte[] Escape, GraphicCharacterSet Set)[] Designations =
    [
        .. new[] { Ascii, Romaji, Katakana, Latin1, Latin2, Latin3, Latin4, Cyrillic, Arabic, Greek, Hebrew, Latin5,
                   Latin9, Thai, JisX0208, JisX0212, KsX1001, Gb2312 }.Select(s => (s.Escape, s)),
        (Esc("$@"), JisX0208), // JIS C 6226-1978, seen in old Japanese data
    ];

    /// <summary>
    /// Parses the escape sequence starting at <paramref name="start"/> (which holds ESC). Returns its length (at least 1,
    /// covering ESC, intermediates 0x20–0x2F and the final byte when well formed) and the set it designates, or null.
    /// </summary>
    public static int ParseEscape(ReadOnlySpan<byte> bytes, int start, out GraphicCharacterSet? set)
    {
        set = null;
        int i = start + 1;
        while (i < bytes.Length && bytes[i] is >= 0x20 and <= 0x2F) i++;
        if (i >= bytes.Length || bytes[i] is < 0x30 or > 0x7E) return 1; // malformed: drop the ESC alone
        int length = i - start + 1;
        var sequence = bytes.Slice(start, length);
        foreach (var (escape, candidate) in Designations)
        {
            if (sequence.SequenceEqual(escape))
            {
                set = candidate;
                break;
            }
        }
        return length;
    }
}

/// <summary>A single-byte code page as a 256-entry decode table and a reverse map restricted to GR (0xA0–0xFF).</summary>
internal sealed class SingleByteTable
{
    public required char[] Decode { get; init; }
    public required Dictionary<char, byte> Encode { get; init; }

    private static SingleByteTable FromDecode(char[] decode)
    {
        var encode = new Dictionary<char, byte>();
        for (int b = 0xA0; b <= 0xFF; b++)
        {
            char c = decode[b];
            if (c != '\uFFFD') encode.TryAdd(c, (byte)b);
        }
        return new SingleByteTable { Decode = decode, Encode = encode };
    }

    public static SingleByteTable FromCodePage(int codePage)
    {
        var encoding = CharsetCodePages.Get(codePage);
        var decode = new char[256];
        Span<byte> one = stackalloc byte[1];
        Span<char> chars = stackalloc char[4];
        for (int b = 0; b < 256; b++)
        {
            one[0] = (byte)b;
            int n = encoding.GetChars(one, chars);
            char c = n == 1 ? chars[0] : '\uFFFD';
            // Unassigned positions come back as private-use characters in some code pages: treat them as unknown.
            decode[b] = c is >= '\uE000' and <= '\uF8FF' ? '\uFFFD' : c;
        }
        return FromDecode(decode);
    }

    /// <summary>JIS X 0201: ASCII-compatible GL, half-width katakana U+FF61–U+FF9F at 0xA1–0xDF.</summary>
    public static SingleByteTable JisX0201Katakana()
    {
        var decode = new char[256];
        for (int b = 0; b < 256; b++)
            decode[b] = b < 0x80 ? (char)b : b is >= 0xA1 and <= 0xDF ? (char)(0xFF61 + b - 0xA1) : '\uFFFD';
        return FromDecode(decode);
    }
}

/// <summary>A 94×94 double-byte set: decode table indexed by row×94+column, reverse map to the 7-bit pair (row+0x21, column+0x21).</summary>
internal sealed class DoubleByteTable
{
    public required char[] Decode { get; init; }
    public required Dictionary<char, ushort> Encode { get; init; }
    public Dictionary<char, char> Aliases { get; init; } = [];

    /// <summary>Builds the table by decoding every pair, mapped to the code page's bytes by <paramref name="toCodePage"/>.</summary>
    private static DoubleByteTable Build(int codePage, Func<int, int, (byte, byte)> toCodePage)
    {
        var encoding = CharsetCodePages.Get(codePage);
        var decode = new char[94 * 94];
        var encode = new Dictionary<char, ushort>();
        Span<byte> pair = stackalloc byte[2];
        Span<char> chars = stackalloc char[4];
        for (int row = 0; row < 94; row++)
        {
            for (int col = 0; col < 94; col++)
            {
                (pair[0], pair[1]) = toCodePage(row + 0x21, col + 0x21);
                int n = encoding.GetChars(pair, chars);
                char c = n == 1 ? chars[0] : '\uFFFD';
                decode[row * 94 + col] = c;
                // Private-use (user-defined rows) decode as they are but are never produced by the encoder.
                if (c != '\uFFFD' && c is < '\uE000' or > '\uF8FF')
                    encode.TryAdd(c, (ushort)(((row + 0x21) << 8) | (col + 0x21)));
            }
        }
        return new DoubleByteTable { Decode = decode, Encode = encode };
    }

    /// <summary>JIS X 0208 via EUC-JP (code page 20932): both bytes with the high bit set.</summary>
    public static DoubleByteTable JisX0208()
    {
        var table = Build(20932, (b1, b2) => ((byte)(b1 | 0x80), (byte)(b2 | 0x80)));
        // Microsoft code pages map a few JIS X 0208 row-1 characters to other code points; accept those when encoding.
        return new DoubleByteTable
        {
            Decode = table.Decode,
            Encode = table.Encode,
            Aliases = new Dictionary<char, char>
            {
                ['\uFF5E'] = '\u301C', // FULLWIDTH TILDE → WAVE DASH
                ['\u2225'] = '\u2016', // PARALLEL TO → DOUBLE VERTICAL LINE
                ['\uFF0D'] = '\u2212', // FULLWIDTH HYPHEN-MINUS → MINUS SIGN
                ['\uFFE0'] = '\u00A2', // FULLWIDTH CENT SIGN
                ['\uFFE1'] = '\u00A3', // FULLWIDTH POUND SIGN
                ['\uFFE2'] = '\u00AC', // FULLWIDTH NOT SIGN
                ['\u2014'] = '\u2015', // EM DASH → HORIZONTAL BAR
            },
        };
    }

    /// <summary>JIS X 0212 via code page 20932, which writes it as (lead | 0x80, trail) with a 7-bit trail byte.</summary>
    public static DoubleByteTable JisX0212() => Build(20932, (b1, b2) => ((byte)(b1 | 0x80), (byte)b2));

    /// <summary>KS X 1001 via code page 949 (UHC, whose 0xA1–0xFE × 0xA1–0xFE part is EUC-KR).</summary>
    public static DoubleByteTable KsX1001() => Build(949, (b1, b2) => ((byte)(b1 | 0x80), (byte)(b2 | 0x80)));

    /// <summary>GB 2312 via code page 936 (GBK, whose 0xA1–0xFE × 0xA1–0xFE part is EUC-CN).</summary>
    public static DoubleByteTable Gb2312() => Build(936, (b1, b2) => ((byte)(b1 | 0x80), (byte)(b2 | 0x80)));
}

/// <summary>Access to the framework's code-page encodings with strict encoding and U+FFFD decoding.</summary>
internal static class CharsetCodePages
{
    private static readonly bool Registered = Register();

    private static bool Register()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return true;
    }

    /// <summary>The code page with an exception encoder fallback (no best-fit) and a U+FFFD decoder fallback.</summary>
    public static Encoding Get(int codePage)
    {
        _ = Registered;
        return Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, new DecoderReplacementFallback("\uFFFD"));
    }
}
