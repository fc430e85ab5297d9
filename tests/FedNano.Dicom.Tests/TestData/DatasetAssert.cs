using System.Text;
using FedNano.Dicom;

namespace FedNano.Dicom.Tests.TestData;

/// <summary>How the dataset was encoded, which decides what a faithful reader must give back.</summary>
internal sealed record EncodingExpectation(bool ImplicitVR, bool DefinedLengthSequences = false, bool Written = true)
{
    public static EncodingExpectation For(DicomTransferSyntax syntax, DicomWriteOptions? options = null) =>
        new(!syntax.IsExplicitVR, options?.DefinedLengthSequences ?? false);
}

/// <summary>
/// Compares a dataset that was written with the dataset read back: same tags at every level, same VR (or the VR
/// the encoding forces: dictionary VR / UN for private elements in implicit VR, the dictionary VR after a CP-1066
/// detour through UN), and the same value bytes once the written padding is accounted for.
/// </summary>
internal static class DatasetAssert
{
    public static void Equal(DicomDataset expected, DicomDataset actual, EncodingExpectation how, Func<DicomTag, bool>? ignore = null)
    {
        var problems = new List<string>();
        Compare(expected, actual, how, ignore ?? (_ => false), "", problems);
        if (problems.Count > 0)
            Assert.Fail($"{problems.Count} difference(s) after the round trip:\n  " + string.Join("\n  ", problems.Take(25)));
    }

    /// <summary>The value bytes a writer must produce: odd lengths padded with the VR's padding byte.</summary>
    public static byte[] Padded(DicomElement e)
    {
        var bytes = e.Value.GetMemory().ToArray();
        return (bytes.Length & 1) == 0 ? bytes : [.. bytes, e.VR.PaddingByte()];
    }

    /// <summary>The VR a reader can know for an element of <paramref name="owner"/> written in implicit VR.</summary>
    public static DicomVR ImplicitVR(DicomDataset owner, DicomTag tag)
    {
        if (tag.IsGroupLength) return DicomVR.UL;
        if (tag.IsPrivateCreator) return DicomVR.LO;
        if (tag.IsPrivate)
        {
            var creator = owner.GetPrivateCreator(tag);
            return creator is not null && DicomDictionary.TryGetPrivate(creator, tag, out var pe) ? pe.VR : DicomVR.UN;
        }
        return DicomDictionary.GetVR(tag);
    }

    private static void Compare(DicomDataset expected, DicomDataset actual, EncodingExpectation how, Func<DicomTag, bool> ignore,
        string path, List<string> problems)
    {
        var expectedTags = expected.Items.Where(i => !i.Tag.IsGroupLength && !ignore(i.Tag)).Select(i => i.Tag).ToList();
        var actualTags = actual.Items.Where(i => !i.Tag.IsGroupLength && !ignore(i.Tag)).Select(i => i.Tag).ToList();
        foreach (var missing in expectedTags.Except(actualTags)) problems.Add($"{path}{missing}: missing after reading");
        foreach (var extra in actualTags.Except(expectedTags)) problems.Add($"{path}{extra}: appeared after reading");

        foreach (var tag in expectedTags.Intersect(actualTags))
        {
            var e = expected.GetItem(tag)!;
            var a = actual.GetItem(tag)!;
            var where = path + tag;
            switch (e)
            {
                case DicomElement ee:
                    {
                        if (a is not DicomElement ae) { problems.Add($"{where}: expected an element, read {a.GetType().Name}"); break; }
                        var vr = ExpectedVR(expected, ee, how);
                        if (ae.VR != vr) problems.Add($"{where}: VR {ae.VR}, expected {vr}");
                        var want = how.Written ? Padded(ee) : ee.Value.GetMemory().ToArray();
                        var got = ae.Value.GetMemory().ToArray();
                        if (!want.AsSpan().SequenceEqual(got))
                            problems.Add($"{where}: value differs: expected {Show(want)}, read {Show(got)}");
                        break;
                    }
                case DicomSequence es:
                    {
                        if (how.ImplicitVR && how.DefinedLengthSequences && tag.IsPrivate)
                        {
                            // A defined-length private sequence in implicit VR is indistinguishable from UN bytes.
                            if (a is not DicomElement { VR: DicomVR.UN } && a is not DicomSequence)
                                problems.Add($"{where}: expected UN or a sequence, read {a.GetType().Name}");
                            if (a is not DicomSequence) break;
                        }
                        if (a is not DicomSequence asq) { problems.Add($"{where}: expected a sequence, read {a.GetType().Name} {a.VR}"); break; }
                        if (asq.Items.Count != es.Items.Count)
                        {
                            problems.Add($"{where}: {asq.Items.Count} items, expected {es.Items.Count}");
                            break;
                        }
                        for (var i = 0; i < es.Items.Count; i++)
                            Compare(es.Items[i], asq.Items[i], how, ignore, $"{where}[{i + 1}].", problems);
                        break;
                    }
                case DicomFragmentSequence ef:
                    {
                        if (a is not DicomFragmentSequence af) { problems.Add($"{where}: expected encapsulated data, read {a.GetType().Name}"); break; }
                        if (!ef.OffsetTable.SequenceEqual(af.OffsetTable))
                            problems.Add($"{where}: offset table [{string.Join(',', af.OffsetTable)}], expected [{string.Join(',', ef.OffsetTable)}]");
                        if (ef.Fragments.Count != af.Fragments.Count) { problems.Add($"{where}: {af.Fragments.Count} fragments, expected {ef.Fragments.Count}"); break; }
                        for (var i = 0; i < ef.Fragments.Count; i++)
                        {
                            var want = ef.Fragments[i].GetMemory().ToArray();
                            if (how.Written && (want.Length & 1) != 0) want = [.. want, 0];
                            if (!want.AsSpan().SequenceEqual(af.Fragments[i].GetMemory().Span))
                                problems.Add($"{where}: fragment {i} differs");
                        }
                        break;
                    }
            }
        }
    }

    private static DicomVR ExpectedVR(DicomDataset owner, DicomElement e, EncodingExpectation how)
    {
        if (!how.Written) return e.VR;
        if (how.ImplicitVR) return ImplicitVR(owner, e.Tag);
        var padded = e.Length + (e.Length & 1);
        if (!e.VR.HasLongLength() && padded > 0xFFFF)
            return e.Tag.IsPrivate ? DicomVR.UN : DicomDictionary.GetVR(e.Tag); // CP-1066: written as UN, re-typed on reading
        return e.VR;
    }

    private static string Show(byte[] bytes)
    {
        var head = Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 24)));
        var text = Encoding.Latin1.GetString(bytes.AsSpan(0, Math.Min(bytes.Length, 24)));
        return $"{bytes.Length} bytes {head}{(bytes.Length > 24 ? "…" : "")} \"{new string(text.Select(c => c is >= ' ' and < '\x7f' ? c : '.').ToArray())}\"";
    }
}
