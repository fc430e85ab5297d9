using System.Globalization;

namespace FedNano.Dicom.Tests.Text;

/// <summary>Helpers for the character-set specifications.</summary>
internal static class CharsetTestData
{
    /// <summary>Parses "59 61 6d" (spaces optional between pairs) into bytes.</summary>
    public static byte[] Hex(string hex)
    {
        var digits = hex.Replace(" ", string.Empty, StringComparison.Ordinal);
        var bytes = new byte[digits.Length / 2];
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = byte.Parse(digits.AsSpan(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return bytes;
    }

    /// <summary>The character set of a backslash-separated (0008,0005) value.</summary>
    public static DicomCharacterSet Charset(string specificCharacterSet, List<string>? warnings = null) =>
        DicomCharacterSet.FromSpecificCharacterSet(specificCharacterSet.Split('\\'), warnings is null ? null : warnings.Add);

    /// <summary>PS3.5 H.3.1: "\ISO 2022 IR 87".</summary>
    public const string JapaneseH31Text = "Yamada^Tarou=山田^太郎=やまだ^たろう";

    public const string JapaneseH31Bytes =
        "59 61 6d 61 64 61 5e 54 61 72 6f 75 3d 1b 24 42 3b 33 45 44 1b 28 42 5e 1b 24 42 42 40 4f 3a 1b 28 42 3d " +
        "1b 24 42 24 64 24 5e 24 40 1b 28 42 5e 1b 24 42 24 3f 24 6d 24 26 1b 28 42";

    /// <summary>PS3.5 H.3.2: "ISO 2022 IR 13\ISO 2022 IR 87" (half-width katakana in G1, Romaji in G0).</summary>
    public const string JapaneseH32Text = "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう";

    public const string JapaneseH32Bytes =
        "d4 cf c0 de 5e c0 db b3 3d 1b 24 42 3b 33 45 44 1b 28 4a 5e 1b 24 42 42 40 4f 3a 1b 28 4a 3d " +
        "1b 24 42 24 64 24 5e 24 40 1b 28 4a 5e 1b 24 42 24 3f 24 6d 24 26 1b 28 4a";

    /// <summary>PS3.5 I.2: "\ISO 2022 IR 149".</summary>
    public const string KoreanI2Text = "Hong^Gildong=洪^吉洞=홍^길동";

    public const string KoreanI2Bytes =
        "48 6f 6e 67 5e 47 69 6c 64 6f 6e 67 3d 1b 24 29 43 fb f3 5e 1b 24 29 43 d1 ce d4 d7 3d " +
        "1b 24 29 43 c8 ab 5e 1b 24 29 43 b1 e6 b5 bf";

    /// <summary>PS3.5 K.2: "\ISO 2022 IR 58" (without the trailing padding space).</summary>
    public const string ChineseK2Text = "Zhang^XiaoDong=张^小东=";

    public const string ChineseK2Bytes =
        "5a 68 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d 1b 24 29 41 d5 c5 5e 1b 24 29 41 d0 a1 b6 ab 3d";

    /// <summary>PS3.5 J.3: "GB18030".</summary>
    public const string ChineseJ3Text = "Wang^XiaoDong=王^小东=";

    public const string ChineseJ3Bytes = "57 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d cd f5 5e d0 a1 b6 ab 3d";
}
