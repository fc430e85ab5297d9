using System.Globalization;
using System.Numerics;

namespace FedNano.Samples.SampleData;

/// <summary>
/// Deterministic UIDs for synthetic data: <c>2.25.</c> followed by the decimal value of a version-4-shaped UUID
/// (PS3.5 §B.2) whose 122 random bits come from a seeded generator. The same seed gives the same UIDs, so a
/// regenerated sample is byte-identical; different seeds give unrelated UIDs. (<c>DicomUid.Generate</c> is for
/// real data: it uses a cryptographic generator and is never repeatable.)
/// </summary>
public sealed class SampleUidGenerator(ulong seed)
{
    private SplitMix64 _random = new(SplitMix64.Mix(seed, 0x5549445FUL /* "UID_" */));

    /// <summary>
    /// A UID sequence for one kind of output: <paramref name="purpose"/> (e.g. "ct-slice") and every parameter
    /// that changes the content (seed, size, count…) select the sequence, so outputs that differ never share a UID.
    /// </summary>
    public SampleUidGenerator(string purpose, params ulong[] parameters) : this(SplitMix64.Mix([Fnv1a(purpose), .. parameters])) { }

    private static ulong Fnv1a(string text)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            h = (h ^ c) * 0x100000001B3UL;
        }
        return h;
    }

    /// <summary>The next UID of the sequence.</summary>
    public string Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, _random.NextUInt64());
        BitConverter.TryWriteBytes(bytes[8..], _random.NextUInt64());
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // variant 1
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        return "2.25." + value.ToString(CultureInfo.InvariantCulture);
    }
}
