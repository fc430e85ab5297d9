using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using FedNano.Dicom;

namespace FedNano.Dicom.Tests.Interop;

/// <summary>
/// Renders a dataset as the text dump format that dcmtk's dump2dcm reads (the format dcmdump prints), so that
/// dcmtk, not our writer, produces the binary file. Text values are copied as their raw bytes; numbers are
/// formatted here from the value bytes, independently of the codec's own formatting.
/// </summary>
internal static class DcmtkDumpText
{
    public static byte[] Render(DicomDataset ds)
    {
        var ms = new MemoryStream();
        Render(ms, ds);
        return ms.ToArray();
    }

    private static void Line(Stream s, string text) => s.Write(Encoding.ASCII.GetBytes(text + "\n"));

    private static string Tag(DicomTag t) => $"({t.Group:x4},{t.Element:x4})";

    private static void Render(Stream s, DicomDataset ds)
    {
        foreach (var item in ds)
        {
            switch (item)
            {
                case DicomSequence seq:
                    Line(s, $"{Tag(seq.Tag)} SQ (Sequence with undefined length #={seq.Items.Count})");
                    foreach (var child in seq.Items)
                    {
                        Line(s, $"(fffe,e000) na (Item with undefined length #={child.Count})");
                        Render(s, child);
                        Line(s, "(fffe,e00d) na (ItemDelimitationItem)");
                    }
                    Line(s, "(fffe,e0dd) na (SequenceDelimitationItem)");
                    break;
                case DicomElement e:
                    var bytes = e.Value.GetMemory().ToArray();
                    s.Write(Encoding.ASCII.GetBytes($"{Tag(e.Tag)} {e.VR} "));
                    if (e.VR.IsString())
                    {
                        s.WriteByte((byte)'[');
                        s.Write(bytes);
                        s.WriteByte((byte)']');
                    }
                    else s.Write(Encoding.ASCII.GetBytes(FormatBinary(e.VR, bytes)));
                    s.WriteByte((byte)'\n');
                    break;
                default:
                    throw new NotSupportedException($"{item.GetType().Name} cannot be rendered for dump2dcm");
            }
        }
    }

    private static string FormatBinary(DicomVR vr, byte[] b)
    {
        IEnumerable<string> values = vr switch
        {
            DicomVR.US => Enumerable.Range(0, b.Length / 2).Select(i => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(2 * i)).ToString(CultureInfo.InvariantCulture)),
            DicomVR.SS => Enumerable.Range(0, b.Length / 2).Select(i => BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(2 * i)).ToString(CultureInfo.InvariantCulture)),
            DicomVR.UL => Enumerable.Range(0, b.Length / 4).Select(i => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(4 * i)).ToString(CultureInfo.InvariantCulture)),
            DicomVR.SL => Enumerable.Range(0, b.Length / 4).Select(i => BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(4 * i)).ToString(CultureInfo.InvariantCulture)),
            DicomVR.UV => Enumerable.Range(0, b.Length / 8).Select(i => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(8 * i)).ToString(CultureInfo.InvariantCulture)),
            DicomVR.SV => Enumerable.Range(0, b.Length / 8).Select(i => BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(8 * i)).ToString(CultureInfo.InvariantCulture)),
            DicomVR.FL => Enumerable.Range(0, b.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(4 * i)).ToString("R", CultureInfo.InvariantCulture)),
            DicomVR.FD => Enumerable.Range(0, b.Length / 8).Select(i => BinaryPrimitives.ReadDoubleLittleEndian(b.AsSpan(8 * i)).ToString("R", CultureInfo.InvariantCulture)),
            DicomVR.AT => Enumerable.Range(0, b.Length / 4).Select(i =>
                $"({BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(4 * i)):x4},{BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(4 * i + 2)):x4})"),
            DicomVR.OW => Enumerable.Range(0, b.Length / 2).Select(i => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(2 * i)).ToString("x4", CultureInfo.InvariantCulture)),
            DicomVR.OB or DicomVR.UN => b.Select(x => x.ToString("x2", CultureInfo.InvariantCulture)),
            _ => throw new NotSupportedException($"VR {vr} is not rendered for dump2dcm"),
        };
        return string.Join('\\', values);
    }
}
