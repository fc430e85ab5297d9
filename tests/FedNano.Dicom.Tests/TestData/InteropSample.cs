using System.Globalization;
using System.Text;
using FedNano.Dicom;

namespace FedNano.Dicom.Tests.TestData;

/// <summary>What kind of value a probe holds, which decides how a peer's rendering of it is compared.</summary>
internal enum ProbeKind { Text, Numbers, Tags, Bytes, Sequence }

/// <summary>
/// One element whose value every reader must agree on. Each probe tag occurs once in the whole dataset, so a
/// peer's dump can be searched by tag; <see cref="Depth"/> is its sequence nesting level.
/// </summary>
/// <param name="Tag">The element.</param>
/// <param name="VR">The VR it was written with.</param>
/// <param name="Depth">0 at the top level, 1 inside an item of a top-level sequence, …</param>
/// <param name="Kind">How to compare.</param>
/// <param name="Values">The expected values as text (numbers in invariant culture, tags as GGGGEEEE, bytes as hex pairs, item count for sequences).</param>
/// <param name="Encoded">The value bytes as written (padded to even length), for peers that only show bytes.</param>
internal sealed record Probe(DicomTag Tag, DicomVR VR, int Depth, ProbeKind Kind, string[] Values, byte[] Encoded)
{
    public string ExpectedText => string.Join('\\', Values);
    public override string ToString() => $"{Tag} {VR} = {ExpectedText}";
}

/// <summary>
/// The dataset the interop tests write and read: strings in the file's character set (Latin-1 or UTF-8 names),
/// numbers of every binary width, AT, OB, a sequence two levels deep and private blocks (one inside a private
/// sequence), plus a small native image so that it can be written in RLE Lossless too.
/// </summary>
internal sealed class InteropSample
{
    private readonly List<Probe> _probes = [];

    private InteropSample(string specificCharacterSet)
    {
        SpecificCharacterSet = specificCharacterSet;
        TextEncoding = specificCharacterSet == "ISO_IR 100" ? Encoding.Latin1 : Encoding.UTF8;
    }

    public string SpecificCharacterSet { get; }
    public Encoding TextEncoding { get; }
    public DicomDataset Dataset { get; } = new();
    public IReadOnlyList<Probe> Probes => _probes;

    public const string Latin1 = "ISO_IR 100";
    public const string Utf8 = "ISO_IR 192";

    public static InteropSample Create(string specificCharacterSet)
    {
        var s = new InteropSample(specificCharacterSet);
        var latin = specificCharacterSet == Latin1;
        var ds = s.Dataset;
        s.Text(ds, 0, DicomTags.SpecificCharacterSet, DicomVR.CS, specificCharacterSet);
        s.Text(ds, 0, DicomTags.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY");
        s.Text(ds, 0, DicomTags.SOPClassUID, DicomVR.UI, SyntheticDatasets.SecondaryCaptureSopClass);
        s.Text(ds, 0, DicomTags.SOPInstanceUID, DicomVR.UI, SyntheticDatasets.Uid(70001));
        s.Text(ds, 0, DicomTags.StudyDate, DicomVR.DA, "20240131");
        s.Text(ds, 0, DicomTags.StudyTime, DicomVR.TM, "101010.5");
        s.Text(ds, 0, DicomTags.Modality, DicomVR.CS, "OT");
        s.Text(ds, 0, DicomTags.StudyDescription, DicomVR.LO, latin ? "Étude du thorax" : "Étude 胸部 thorax");
        s.Text(ds, 0, DicomTags.PatientName, DicomVR.PN, latin ? "Müller^Gérard" : "Müller^Jürgen=ミュラー^ユルゲン");
        s.Text(ds, 0, DicomTags.PatientID, DicomVR.LO, "PID-42");
        s.Text(ds, 0, DicomTags.PerformingPhysicianName, DicomVR.PN, latin ? "Ærø^Åse" : "Ærø^Åse", "Ng^Lee");
        s.Numbers(ds, 0, DicomTags.PatientSize, DicomVR.DS, 1.75);
        s.Numbers(ds, 0, DicomTags.TimeRange, DicomVR.FD, 1.5, -2.25);
        s.Numbers(ds, 0, DicomTags.ExaminedBodyThickness, DicomVR.FL, 12.5f);
        s.Numbers(ds, 0, DicomTags.ReferencePixelX0, DicomVR.SL, -12345, int.MaxValue);
        s.Numbers(ds, 0, DicomTags.TagAngleSecondAxis, DicomVR.SS, (short)-5);
        s.Numbers(ds, 0, DicomTags.InstanceNumber, DicomVR.IS, 7);
        s.Numbers(ds, 0, DicomTags.SimpleFrameList, DicomVR.UL, 1u, 4_000_000_000u);
        s.Numbers(ds, 0, DicomTags.SelectorSVValue, DicomVR.SV, -5L, long.MaxValue);
        s.Numbers(ds, 0, DicomTags.SelectorUVValue, DicomVR.UV, ulong.MaxValue);
        s.Tags(ds, 0, DicomTags.DimensionIndexPointer, DicomTags.ImagePositionPatient);
        s.Tags(ds, 0, DicomTags.FrameIncrementPointer, DicomTags.FrameTime, DicomTags.FrameTimeVector);
        s.Bytes(ds, 0, DicomTags.BadPixelImage, DicomVR.OB, 1, 2, 3);

        var code = new DicomDataset();
        var referenced = new DicomDataset();
        referenced.AddOrUpdate(DicomTags.PurposeOfReferenceCodeSequence, code);
        s.Text(referenced, 1, DicomTags.ReferencedSOPClassUID, DicomVR.UI, SyntheticDatasets.CtImageSopClass);
        s.Text(referenced, 1, DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, SyntheticDatasets.Uid(70002));
        s.Text(code, 2, DicomTags.CodeValue, DicomVR.SH, "121320");
        s.Text(code, 2, DicomTags.CodingSchemeDesignator, DicomVR.SH, "DCM");
        s.Text(code, 2, DicomTags.CodeMeaning, DicomVR.LO, latin ? "Prédécesseur" : "Prédécesseur 前");
        s.Sequence(ds, 0, DicomTags.ReferencedImageSequence, referenced);
        s.AddProbe(1, DicomTags.PurposeOfReferenceCodeSequence, DicomVR.SQ, ProbeKind.Sequence, ["1"], []);

        // Private blocks; the private sequence's item carries its own private block.
        s.Text(ds, 0, SyntheticDatasets.Private(0x0029, 0, 0x10), DicomVR.LO, SyntheticDatasets.PrivateCreator);
        s.Text(ds, 0, SyntheticDatasets.Private(0x0029, 0x10, 0x01), DicomVR.LO, "private value");
        s.Numbers(ds, 0, SyntheticDatasets.Private(0x0029, 0x10, 0x02), DicomVR.US, (ushort)513, (ushort)7);
        var inner = new DicomDataset();
        s.Text(inner, 1, SyntheticDatasets.Private(0x0031, 0, 0x10), DicomVR.LO, SyntheticDatasets.InnerPrivateCreator);
        s.Text(inner, 1, SyntheticDatasets.Private(0x0031, 0x10, 0x01), DicomVR.LO, "inner private");
        s.Sequence(ds, 0, SyntheticDatasets.Private(0x0029, 0x10, 0x03), inner);

        SyntheticDatasets.AddImage(ds, rows: 8, columns: 8, seed: 5, bitsStored: 12);
        s.Numbers(ds, 0, DicomTags.Rows, DicomVR.US, (ushort)8);
        s.Numbers(ds, 0, DicomTags.Columns, DicomVR.US, (ushort)8);
        return s;
    }

    private void AddProbe(int depth, DicomTag tag, DicomVR vr, ProbeKind kind, string[] values, byte[] encoded) =>
        _probes.Add(new Probe(tag, vr, depth, kind, values, encoded));

    private static byte[] Written(DicomDataset ds, DicomTag tag) => DatasetAssert.Padded((DicomElement)ds.GetItem(tag)!);

    private void Text(DicomDataset ds, int depth, DicomTag tag, DicomVR vr, params string[] values)
    {
        // Encode with .NET's own encoder, not the codec's, so the expectation is independent of it.
        var bytes = vr.IsCharacterSetDependent() ? TextEncoding.GetBytes(string.Join('\\', values)) : Encoding.ASCII.GetBytes(string.Join('\\', values));
        ds.AddOrUpdate(new DicomElement(tag, vr, bytes));
        AddProbe(depth, tag, vr, ProbeKind.Text, values, Written(ds, tag));
    }

    private void Numbers<T>(DicomDataset ds, int depth, DicomTag tag, DicomVR vr, params T[] values) where T : unmanaged, System.Numerics.INumber<T>
    {
        ds.AddOrUpdate(tag, vr, values);
        AddProbe(depth, tag, vr, ProbeKind.Numbers, values.Select(v => string.Format(CultureInfo.InvariantCulture, "{0}", v)).ToArray(), Written(ds, tag));
    }

    private void Tags(DicomDataset ds, int depth, DicomTag tag, params DicomTag[] values)
    {
        ds.AddOrUpdate(tag, values);
        AddProbe(depth, tag, DicomVR.AT, ProbeKind.Tags, values.Select(t => t.ToJsonKey()).ToArray(), Written(ds, tag));
    }

    private void Bytes(DicomDataset ds, int depth, DicomTag tag, DicomVR vr, params byte[] values)
    {
        ds.AddOrUpdate(tag, vr, values);
        AddProbe(depth, tag, vr, ProbeKind.Bytes, values.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)).ToArray(), Written(ds, tag));
    }

    private void Sequence(DicomDataset ds, int depth, DicomTag tag, params DicomDataset[] items)
    {
        ds.AddOrUpdate(tag, items);
        AddProbe(depth, tag, DicomVR.SQ, ProbeKind.Sequence, [items.Length.ToString(CultureInfo.InvariantCulture)], []);
    }
}
