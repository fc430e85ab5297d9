using System.Text;
using FedNano.Dicom;

namespace FedNano.DicomService.PeerTests.Infrastructure;

/// <summary>
/// "Identical in content": two datasets (file meta excluded) with the same elements, VRs and value bytes, sequence
/// items and fragments, compared with our codec. The differences are listed by tag path for failure messages.
/// </summary>
public static class DatasetComparer
{
    /// <summary>Every difference between <paramref name="expected"/> and <paramref name="actual"/> (empty when identical in content).</summary>
    public static List<string> Differences(DicomDataset expected, DicomDataset actual, string path = "")
    {
        var differences = new List<string>();
        Compare(expected, actual, path, differences);
        return differences;
    }

    /// <summary>Fails the test unless the two Part 10 files hold identical datasets; <paramref name="what"/> names the pair.</summary>
    public static void AssertSameContent(byte[] expectedFile, byte[] actualFile, string what)
    {
        var expected = DicomFile.Read(expectedFile);
        var actual = DicomFile.Read(actualFile);
        var differences = Differences(expected.Dataset, actual.Dataset);
        if (differences.Count > 0)
            Assert.Fail($"{what}: {differences.Count} difference(s) (expected {expected.TransferSyntax}, actual {actual.TransferSyntax}):\n  " +
                string.Join("\n  ", differences.Take(40)));
        Assert.Equal(NativePixelBytes(expected), NativePixelBytes(actual));
    }

    /// <summary>The Pixel Data value bytes of a file in a native (uncompressed) transfer syntax.</summary>
    public static byte[] NativePixelBytes(DicomFile file)
    {
        if (!file.Dataset.TryGetElement(DicomTags.PixelData, out var pixels))
            throw new InvalidOperationException($"No native Pixel Data in a file in {file.TransferSyntax}.");
        return pixels.Value.GetMemory().ToArray();
    }

    private static void Compare(DicomDataset expected, DicomDataset actual, string path, List<string> differences)
    {
        var e = expected.Items.ToDictionary(i => i.Tag);
        var a = actual.Items.ToDictionary(i => i.Tag);
        foreach (var tag in e.Keys.Union(a.Keys).OrderBy(t => ((uint)t.Group << 16) | t.Element))
        {
            var where = $"{path}({tag.Group:X4},{tag.Element:X4})";
            if (!a.TryGetValue(tag, out var actualItem)) { differences.Add($"{where} {e[tag].VR} missing from the actual dataset"); continue; }
            if (!e.TryGetValue(tag, out var expectedItem)) { differences.Add($"{where} {actualItem.VR} added: {Describe(actualItem)}"); continue; }
            if (expectedItem.VR != actualItem.VR)
            {
                differences.Add($"{where} VR {expectedItem.VR} became {actualItem.VR}");
                continue;
            }
            switch (expectedItem, actualItem)
            {
                case (DicomElement x, DicomElement y):
                    var xb = x.Value.GetMemory().Span;
                    var yb = y.Value.GetMemory().Span;
                    if (!xb.SequenceEqual(yb)) differences.Add($"{where} {x.VR} value {Describe(x)} became {Describe(y)}");
                    break;
                case (DicomSequence x, DicomSequence y):
                    if (x.Items.Count != y.Items.Count) differences.Add($"{where} SQ with {x.Items.Count} items became {y.Items.Count}");
                    for (var i = 0; i < Math.Min(x.Items.Count, y.Items.Count); i++) Compare(x.Items[i], y.Items[i], $"{where}[{i}]/", differences);
                    break;
                case (DicomFragmentSequence x, DicomFragmentSequence y):
                    if (x.Fragments.Count != y.Fragments.Count) differences.Add($"{where} {x.Fragments.Count} fragments became {y.Fragments.Count}");
                    for (var i = 0; i < Math.Min(x.Fragments.Count, y.Fragments.Count); i++)
                        if (!x.Fragments[i].GetMemory().Span.SequenceEqual(y.Fragments[i].GetMemory().Span)) differences.Add($"{where} fragment {i} differs");
                    break;
                default:
                    differences.Add($"{where} {expectedItem.GetType().Name} became {actualItem.GetType().Name}");
                    break;
            }
        }
    }

    private static string Describe(DicomItem item)
    {
        if (item is not DicomElement element) return item.ToString();
        if (element.Length > 64) return $"<{element.Length} bytes>";
        var bytes = element.Value.GetMemory().Span;
        return element.VR.ToString() is "OB" or "OW" or "UN" or "US" or "UL" or "SS" or "SL" or "FL" or "FD" or "AT" or "OF" or "OD"
            ? "[" + Convert.ToHexString(bytes) + "]"
            : "\"" + Encoding.UTF8.GetString(bytes).Replace("\0", "\\0", StringComparison.Ordinal) + "\"";
    }
}
