using System.Buffers.Binary;

namespace FedNano.Dicom;

/// <summary>
/// Encodes datasets in little-endian transfer syntaxes (implicit or explicit VR). Values are padded to even
/// length, explicit-VR values too long for a 16-bit length are written as UN (CP-1066), and encapsulated
/// pixel data is written as an offset table plus fragments.
/// </summary>
public sealed class DicomWriter
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private readonly Stream _out;
    private readonly bool _explicitVR;
    private readonly DicomWriteOptions _options;
    private readonly byte[] _header = new byte[12];

    /// <summary>Creates a writer over <paramref name="output"/>.</summary>
    public DicomWriter(Stream output, bool explicitVR, DicomWriteOptions? options = null)
    {
        _out = output;
        _explicitVR = explicitVR;
        _options = options ?? DicomWriteOptions.Default;
    }

    /// <summary>Writes every item of <paramref name="dataset"/> in tag order.</summary>
    public void WriteDataset(DicomDataset dataset)
    {
        foreach (var item in dataset)
        {
            if (item.Tag.IsGroupLength && !_options.KeepGroupLengths && item.Tag.Group != 0x0002) continue;
            WriteItem(item);
        }
    }

    private void WriteItem(DicomItem item)
    {
        switch (item)
        {
            case DicomElement e: WriteElement(e); break;
            case DicomSequence s: WriteSequence(s); break;
            case DicomFragmentSequence f: WriteFragments(f); break;
            default: throw new InvalidOperationException($"Unknown item type {item.GetType().Name}.");
        }
    }

    /// <summary>The VR actually written and the padded length for an element.</summary>
    internal (DicomVR Vr, long Length) Layout(DicomElement e)
    {
        var vr = e.VR == DicomVR.None ? DicomVR.UN : e.VR;
        var length = e.Length + (e.Length & 1);
        if (length > uint.MaxValue - 1)
            throw new DicomDataException($"{e.Tag} value of {length} bytes is too long for DICOM (4 GiB limit).");
        if (_explicitVR && !vr.HasLongLength() && length > 0xFFFF) vr = DicomVR.UN; // CP-1066
        return (vr, length);
    }

    private void WriteElement(DicomElement e)
    {
        var (vr, length) = Layout(e);
        WriteHeader(e.Tag, vr, (uint)length);
        e.Value.CopyTo(_out);
        if ((e.Length & 1) != 0) _out.WriteByte(e.VR.PaddingByte());
    }

    private void WriteHeader(DicomTag tag, DicomVR vr, uint length)
    {
        var h = _header.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(h, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(h[2..], tag.Element);
        if (!_explicitVR)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(h[4..], length);
            _out.Write(h[..8]);
            return;
        }
        var code = vr.ToString();
        h[4] = (byte)code[0];
        h[5] = (byte)code[1];
        if (vr.HasLongLength())
        {
            h[6] = h[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(h[8..], length);
            _out.Write(h[..12]);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(h[6..], checked((ushort)length));
            _out.Write(h[..8]);
        }
    }

    private void WriteItemTag(DicomTag tag, uint length)
    {
        var h = _header.AsSpan(0, 8);
        BinaryPrimitives.WriteUInt16LittleEndian(h, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(h[2..], tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], length);
        _out.Write(h);
    }

    private void WriteSequence(DicomSequence s)
    {
        var defined = _options.DefinedLengthSequences;
        WriteHeader(s.Tag, DicomVR.SQ, defined ? checked((uint)MeasureSequenceContent(s)) : UndefinedLength);
        foreach (var item in s.Items)
        {
            WriteItemTag(DicomTag.Item, defined ? checked((uint)MeasureDataset(item)) : UndefinedLength);
            WriteDataset(item);
            if (!defined) WriteItemTag(DicomTag.ItemDelimitationItem, 0);
        }
        if (!defined) WriteItemTag(DicomTag.SequenceDelimitationItem, 0);
    }

    private void WriteFragments(DicomFragmentSequence f)
    {
        WriteHeader(f.Tag, f.VR == DicomVR.OW ? DicomVR.OW : DicomVR.OB, UndefinedLength);
        var table = _options.WriteOffsetTable ? f.OffsetTable : [];
        WriteItemTag(DicomTag.Item, (uint)(table.Count * 4));
        Span<byte> four = stackalloc byte[4];
        foreach (var offset in table)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(four, offset);
            _out.Write(four);
        }
        foreach (var fragment in f.Fragments)
        {
            var odd = (fragment.Length & 1) != 0;
            WriteItemTag(DicomTag.Item, checked((uint)(fragment.Length + (odd ? 1 : 0))));
            fragment.CopyTo(_out);
            if (odd) _out.WriteByte(0);
        }
        WriteItemTag(DicomTag.SequenceDelimitationItem, 0);
    }

    /// <summary>Encoded size of a dataset's items with the current settings.</summary>
    internal long MeasureDataset(DicomDataset dataset)
    {
        long total = 0;
        foreach (var item in dataset)
        {
            if (item.Tag.IsGroupLength && !_options.KeepGroupLengths && item.Tag.Group != 0x0002) continue;
            total += MeasureItem(item);
        }
        return total;
    }

    private long MeasureItem(DicomItem item)
    {
        switch (item)
        {
            case DicomElement e:
                {
                    var (vr, length) = Layout(e);
                    return HeaderSize(vr) + length;
                }
            case DicomSequence s:
                return HeaderSize(DicomVR.SQ) + (_options.DefinedLengthSequences ? MeasureSequenceContent(s) : MeasureSequenceContent(s) + 8);
            case DicomFragmentSequence f:
                {
                    long total = HeaderSize(f.VR) + 8 + 4L * (_options.WriteOffsetTable ? f.OffsetTable.Count : 0) + 8;
                    foreach (var fr in f.Fragments) total += 8 + fr.Length + (fr.Length & 1);
                    return total;
                }
            default: return 0;
        }
    }

    private long MeasureSequenceContent(DicomSequence s)
    {
        long total = 0;
        foreach (var item in s.Items)
            total += 8 + MeasureDataset(item) + (_options.DefinedLengthSequences ? 0 : 8);
        return total;
    }

    private int HeaderSize(DicomVR vr) => !_explicitVR ? 8 : vr.HasLongLength() ? 12 : 8;

    /// <summary>Writes a file meta group (always explicit VR little endian) with a correct (0002,0000) group length.</summary>
    public static void WriteFileMeta(Stream output, DicomDataset meta)
    {
        using var body = new MemoryStream();
        var writer = new DicomWriter(body, explicitVR: true);
        foreach (var item in meta)
        {
            if (item.Tag.Group != 0x0002 || item.Tag.Element == 0x0000) continue;
            writer.WriteItem(item);
        }
        var header = new DicomWriter(output, explicitVR: true);
        var groupLength = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength, checked((uint)body.Length));
        header.WriteElement(new DicomElement(DicomTags.FileMetaInformationGroupLength, DicomVR.UL, groupLength));
        body.Position = 0;
        body.CopyTo(output);
    }
}
