using System.Buffers.Binary;
using System.Text;
using FedNano.Dicom;

namespace FedNano.Dicom.Tests.TestData;

/// <summary>
/// Builds DICOM encodings byte by byte, independently of <see cref="DicomWriter"/>, for inputs our writer never
/// produces: big endian, UN with undefined length, wrong VRs, lying lengths, missing items. Values are given in
/// the byte order of the stream being built.
/// </summary>
internal sealed class DicomByteBuilder
{
    public const uint Undefined = 0xFFFFFFFF;
    private readonly MemoryStream _out = new();

    /// <summary>Header fields (tag, lengths) are written big-endian.</summary>
    public bool BigEndian { get; set; }

    /// <summary>Current length, i.e. the offset of whatever is appended next.</summary>
    public long Position => _out.Length;

    /// <summary>Starts a Part 10 file: 128-byte preamble, DICM, and file meta (explicit VR LE) naming <paramref name="transferSyntaxUid"/>.</summary>
    public static DicomByteBuilder Part10(string transferSyntaxUid, bool preamble = true, string sopClass = SyntheticDatasets.SecondaryCaptureSopClass,
        string sopInstance = "1.2.826.0.1.3680043.8.498.99")
    {
        var b = new DicomByteBuilder();
        if (preamble)
        {
            b.Raw(new byte[128]);
            b.Raw("DICM"u8.ToArray());
        }
        var meta = new DicomDataset()
            .AddOrUpdate(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0, 1 })
            .AddOrUpdate(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, sopClass)
            .AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstance)
            .AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, transferSyntaxUid)
            .AddOrUpdate(DicomTags.ImplementationClassUID, DicomVR.UI, "1.2.826.0.1.3680043.8.498.1");
        var ms = new MemoryStream();
        DicomWriter.WriteFileMeta(ms, meta);
        b.Raw(ms.ToArray());
        return b;
    }

    public DicomByteBuilder Raw(ReadOnlySpan<byte> bytes)
    {
        _out.Write(bytes);
        return this;
    }

    public DicomByteBuilder U16(ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        if (BigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v); else BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        return Raw(b);
    }

    public DicomByteBuilder U32(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        if (BigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return Raw(b);
    }

    public DicomByteBuilder Tag(DicomTag tag) => U16(tag.Group).U16(tag.Element);

    /// <summary>An explicit VR element header; the length is the value's length unless <paramref name="length"/> says otherwise.</summary>
    public DicomByteBuilder ExplicitHeader(DicomTag tag, string vr, uint length)
    {
        Tag(tag).Raw(Encoding.ASCII.GetBytes(vr));
        return TryParseLong(vr) ? U16(0).U32(length) : U16(checked((ushort)length));
    }

    private static bool TryParseLong(string vr) => DicomVRInfo.TryParse(vr, out var v) ? v.HasLongLength() : vr is not ("AE" or "AS" or "AT" or "CS" or "DA" or "DS" or "DT" or "FD" or "FL" or "IS" or "LO" or "LT" or "PN" or "SH" or "SL" or "SS" or "ST" or "TM" or "UI" or "UL" or "US");

    public DicomByteBuilder Explicit(DicomTag tag, string vr, ReadOnlySpan<byte> value, uint? length = null) =>
        ExplicitHeader(tag, vr, length ?? (uint)value.Length).Raw(value);

    /// <summary>An explicit VR text element, padded with a space (NUL for UI) to even length.</summary>
    public DicomByteBuilder ExplicitText(DicomTag tag, string vr, string text, Encoding? encoding = null)
    {
        var bytes = (encoding ?? Encoding.ASCII).GetBytes(text);
        if ((bytes.Length & 1) != 0) bytes = [.. bytes, vr == "UI" ? (byte)0 : (byte)' '];
        return Explicit(tag, vr, bytes);
    }

    public DicomByteBuilder ImplicitHeader(DicomTag tag, uint length) => Tag(tag).U32(length);

    public DicomByteBuilder Implicit(DicomTag tag, ReadOnlySpan<byte> value, uint? length = null) =>
        ImplicitHeader(tag, length ?? (uint)value.Length).Raw(value);

    public DicomByteBuilder ImplicitText(DicomTag tag, string text, bool uid = false)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        if ((bytes.Length & 1) != 0) bytes = [.. bytes, uid ? (byte)0 : (byte)' '];
        return Implicit(tag, bytes);
    }

    public DicomByteBuilder ItemStart(uint length = Undefined) => Tag(DicomTag.Item).U32(length);
    public DicomByteBuilder ItemEnd() => Tag(DicomTag.ItemDelimitationItem).U32(0);
    public DicomByteBuilder SequenceEnd() => Tag(DicomTag.SequenceDelimitationItem).U32(0);

    public byte[] ToArray() => _out.ToArray();

    // ------------------------------------------------------------------ value helpers (big or little endian)

    public static byte[] U16s(bool bigEndian, params ushort[] values)
    {
        var b = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
            if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2 * i), values[i]); else BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2 * i), values[i]);
        return b;
    }

    public static byte[] U32s(bool bigEndian, params uint[] values)
    {
        var b = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
            if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(4 * i), values[i]); else BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4 * i), values[i]);
        return b;
    }

    public static byte[] F64s(bool bigEndian, params double[] values)
    {
        var b = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
            if (bigEndian) BinaryPrimitives.WriteDoubleBigEndian(b.AsSpan(8 * i), values[i]); else BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(8 * i), values[i]);
        return b;
    }

    public static byte[] F32s(bool bigEndian, params float[] values)
    {
        var b = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
            if (bigEndian) BinaryPrimitives.WriteSingleBigEndian(b.AsSpan(4 * i), values[i]); else BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(4 * i), values[i]);
        return b;
    }

    public static byte[] I64s(bool bigEndian, params long[] values)
    {
        var b = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
            if (bigEndian) BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(8 * i), values[i]); else BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8 * i), values[i]);
        return b;
    }
}
