using System.Globalization;
using System.Text;

namespace FedNano.Dicom;

/// <summary>A human-readable tree of a file or dataset, one element per line (what <c>dicomtool dump</c> prints).</summary>
public static class DicomDump
{
    /// <summary>Longest value text shown before it is cut with an ellipsis.</summary>
    public const int MaxValueChars = 96;

    /// <summary>Dumps a whole file: preamble note, file meta, dataset, warnings.</summary>
    public static string Format(DicomFile file)
    {
        var sb = new StringBuilder();
        sb.Append("# Transfer syntax: ").AppendLine(file.TransferSyntax.ToString());
        if (!file.HadPreamble) sb.AppendLine("# (no preamble)");
        if (file.FileMetaInfo.Count > 0)
        {
            sb.AppendLine("# File meta information");
            Append(sb, file.FileMetaInfo, 0);
        }
        sb.AppendLine("# Dataset");
        Append(sb, file.Dataset, 0);
        foreach (var w in file.Warnings) sb.Append("# warning: ").AppendLine(w.ToString());
        return sb.ToString();
    }

    /// <summary>Dumps a dataset.</summary>
    public static string Format(DicomDataset dataset)
    {
        var sb = new StringBuilder();
        Append(sb, dataset, 0);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, DicomDataset dataset, int depth)
    {
        var indent = new string(' ', depth * 2);
        foreach (var item in dataset)
        {
            var keyword = Keyword(dataset, item.Tag);
            switch (item)
            {
                case DicomSequence s:
                    sb.Append(indent).Append(item.Tag).Append(" SQ ").Append(keyword)
                      .Append(CultureInfo.InvariantCulture, $" ({s.Items.Count} item{(s.Items.Count == 1 ? "" : "s")})").AppendLine();
                    for (var i = 0; i < s.Items.Count; i++)
                    {
                        sb.Append(indent).Append(CultureInfo.InvariantCulture, $"  > item {i + 1}").AppendLine();
                        Append(sb, s.Items[i], depth + 2);
                    }
                    break;
                case DicomFragmentSequence f:
                    sb.Append(indent).Append(item.Tag).Append(' ').Append(f.VR).Append(' ').Append(keyword)
                      .Append(CultureInfo.InvariantCulture, $" encapsulated: offset table {f.OffsetTable.Count} entries, {f.Fragments.Count} fragments, {f.Fragments.Sum(x => x.Length)} bytes")
                      .AppendLine();
                    break;
                case DicomElement e:
                    sb.Append(indent).Append(item.Tag).Append(' ').Append(e.VR).Append(' ').Append(keyword)
                      .Append(CultureInfo.InvariantCulture, $" [{e.Length}] ").Append(ValueText(dataset, e)).AppendLine();
                    break;
            }
        }
    }

    private static string Keyword(DicomDataset dataset, DicomTag tag)
    {
        if (tag.IsPrivateCreator) return "PrivateCreator";
        if (tag.IsPrivate)
        {
            var creator = dataset.GetPrivateCreator(tag);
            if (creator is not null && DicomDictionary.TryGetPrivate(creator, tag, out var pe)) return $"{pe.Keyword} [{creator}]";
            return creator is null ? "Private" : $"Private [{creator}]";
        }
        var k = DicomDictionary.GetKeyword(tag);
        return k.Length > 0 ? k : "Unknown";
    }

    private static string ValueText(DicomDataset dataset, DicomElement e)
    {
        if (e.Length == 0) return "(empty)";
        if (e.VR is DicomVR.OB or DicomVR.UN or DicomVR.OW or DicomVR.OF or DicomVR.OD or DicomVR.OL or DicomVR.OV)
        {
            if (e.Length > 64) return $"({e.Length} bytes of binary data)";
            var bytes = e.Value.GetMemory().Span;
            return string.Join('\\', bytes.ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        }
        if (e.Length > 64 * 1024) return $"({e.Length} bytes)";
        var text = dataset.DecodeText(e).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        if (e.VR == DicomVR.UI && DicomUidRegistry.TryGet(text, out var info)) text += $" = {info.Name}";
        return text.Length > MaxValueChars ? text[..MaxValueChars] + "…" : text;
    }
}
