using System.Numerics;
using System.Security.Cryptography;

namespace FedNano.Dicom;

/// <summary>Generation and validation of DICOM UIDs (PS3.5 §9).</summary>
public static class DicomUid
{
    /// <summary>Maximum UID length.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// A new UID. Without <paramref name="root"/>: <c>2.25.</c> followed by the decimal value of a random
    /// 128-bit UUID (PS3.5 §B.2). With a root (an organisation's registered UID root): the root followed by a
    /// random decimal suffix that fits 64 characters.
    /// </summary>
    public static string Generate(string? root = null)
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        // Make it a version 4 variant 1 UUID, as PS3.5 B.2 prescribes for 2.25 UIDs.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        if (string.IsNullOrEmpty(root)) return "2.25." + value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!IsValid(root)) throw new ArgumentException($"'{root}' is not a valid UID root.", nameof(root));
        var suffix = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var room = MaxLength - root.Length - 1;
        if (room < 8) throw new ArgumentException($"UID root '{root}' leaves too little room for unique suffixes.", nameof(root));
        if (suffix.Length > room) suffix = suffix[..room];
        suffix = suffix.TrimStart('0');
        if (suffix.Length == 0) suffix = "1";
        return root + "." + suffix;
    }

    /// <summary>
    /// True for a syntactically valid UID: 1–64 characters, dot-separated numeric components, no leading zero in a
    /// multi-digit component, no empty component.
    /// </summary>
    public static bool IsValid(string? uid) => Validate(uid) is null;

    /// <summary>Why <paramref name="uid"/> is not valid, or null when it is.</summary>
    public static string? Validate(string? uid)
    {
        if (string.IsNullOrEmpty(uid)) return "UID is empty";
        if (uid.Length > MaxLength) return $"UID is {uid.Length} characters long (at most {MaxLength})";
        var components = uid.Split('.');
        foreach (var c in components)
        {
            if (c.Length == 0) return "UID has an empty component";
            if (!c.All(char.IsAsciiDigit)) return $"UID component '{c}' is not numeric";
            if (c.Length > 1 && c[0] == '0') return $"UID component '{c}' has a leading zero";
        }
        return null;
    }
}
