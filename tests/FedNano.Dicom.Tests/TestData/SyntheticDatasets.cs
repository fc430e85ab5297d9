using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using FedNano.Dicom;

namespace FedNano.Dicom.Tests.TestData;

/// <summary>
/// Synthetic datasets shared by the codec, interop, malformed-input and CLI specifications. Everything is built
/// in code (no committed binaries) and is deterministic.
/// </summary>
internal static class SyntheticDatasets
{
    /// <summary>UID root for generated instances (the pydicom example root, fine for test data).</summary>
    public const string UidRoot = "1.2.826.0.1.3680043.8.498.";

    public const string SecondaryCaptureSopClass = "1.2.840.10008.5.1.4.1.1.7";
    public const string CtImageSopClass = "1.2.840.10008.5.1.4.1.1.2";

    /// <summary>Private group and creators used by the rich dataset.</summary>
    public const ushort PrivateGroup = 0x0029;
    public const string PrivateCreator = "FEDNANO TEST";
    public const string OtherPrivateCreator = "FEDNANO OTHER";
    public const ushort InnerPrivateGroup = 0x0031;
    public const string InnerPrivateCreator = "FEDNANO INNER";

    /// <summary>Length of the value that is too long for a 16-bit length (CP-1066).</summary>
    public const int BigValueLength = 70_001;

    /// <summary>Tag of the LO value longer than 64 KiB in <see cref="Rich"/>.</summary>
    public static readonly DicomTag BigLoTag = DicomTags.StudyDescription;

    public static DicomTag Private(ushort group, byte block, byte element) => new(group, (ushort)((block << 8) | element));

    public static string Uid(int n) => UidRoot + n.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A dataset with every VR (including SV/UV/OV/OD/OL/UC/UR/UT), multi-values, empty values, odd-length values,
    /// AT, PN with non-ASCII text (ISO_IR 192), nested undefined-length sequences three deep, an empty sequence,
    /// an empty item, two private blocks with a private sequence holding another private block, a LO longer than
    /// 64 KiB and native 16-bit pixel data.
    /// </summary>
    public static DicomDataset Rich()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        ds.AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, SecondaryCaptureSopClass);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, Uid(10001)); // odd length: NUL padded
        ds.AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, "20240131");
        ds.AddOrUpdate(DicomTags.SeriesDate, DicomVR.DA, Array.Empty<string>()); // empty value
        ds.AddOrUpdate(DicomTags.AcquisitionDateTime, DicomVR.DT, "20240131123456.123456+0100");
        ds.AddOrUpdate(DicomTags.StudyTime, DicomVR.TM, "123456.789");
        ds.AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, "ACC-0001");
        ds.AddOrUpdate(DicomTags.RetrieveAETitle, DicomVR.AE, "FEDNANO", "ARCHIVE_2");
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "OT");
        ds.AddOrUpdate(DicomTags.Manufacturer, DicomVR.LO, "Fed");              // odd length: space padded
        ds.AddOrUpdate(DicomTags.InstitutionName, DicomVR.LO, "Hôpital Zürich"); // UTF-8
        ds.AddOrUpdate(DicomTags.InstitutionAddress, DicomVR.ST, "1 Main St\\Suite 2");
        ds.AddOrUpdate(DicomTags.ReferringPhysicianName, DicomVR.PN, "Doe^John^^Dr.^");
        ds.AddOrUpdate(DicomTags.TimeRange, DicomVR.FD, 1.5, -2.25);
        ds.AddOrUpdate(DicomTags.LongCodeValue, DicomVR.UC, "A long code value that is allowed to be long: " + new string('x', 300));
        ds.AddOrUpdate(DicomTags.CodingSchemeURL, DicomVR.UR, "http://example.org/codes?x=1&y=2");
        ds.AddOrUpdate(DicomTags.PrivateDataElementDescription, DicomVR.UT, "Unlimited text\r\nwith a \\ backslash and ünïcödé");
        ds.AddOrUpdate(DicomTags.SimpleFrameList, DicomVR.UL, 1u, 2u, 4_000_000_000u);
        ds.AddOrUpdate(DicomTags.PerformingPhysicianName, DicomVR.PN, "Smith^Anne", "Ng^Lee");
        ds.AddOrUpdate(BigLoTag, DicomVR.LO, BigText(BigValueLength)); // > 64 KiB: UN in explicit VR (CP-1066)
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Müller^Jürgen=ミュラー^ユルゲン");
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "PID-42");
        ds.AddOrUpdate(DicomTags.PatientSex, DicomVR.CS, "O");
        ds.AddOrUpdate(DicomTags.PatientAge, DicomVR.AS, "042Y");
        ds.AddOrUpdate(DicomTags.PatientSize, DicomVR.DS, 1.75);
        ds.AddOrUpdate(DicomTags.StrainDescription, DicomVR.UC, "Strain\\with\\values");
        ds.AddOrUpdate(DicomTags.PatientComments, DicomVR.LT, "Line one\r\nLine two");
        ds.AddOrUpdate(DicomTags.ExaminedBodyThickness, DicomVR.FL, 12.5f);
        ds.AddOrUpdate(DicomTags.BadPixelImage, DicomVR.OB, new byte[] { 1, 2, 3, 4, 5 }); // odd length OB
        ds.AddOrUpdate(DicomTags.MakerNote, DicomVR.OB, Array.Empty<byte>());          // empty OB
        ds.AddOrUpdate(DicomTags.ReferencePixelX0, DicomVR.SL, -12345, int.MaxValue);
        ds.AddOrUpdate(DicomTags.TagAngleSecondAxis, DicomVR.SS, (short)-5);
        ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, 7);
        ds.AddOrUpdate(DicomTags.ReferencedFrameNumber, DicomVR.IS, 1, 2, 3);
        ds.AddOrUpdate(DicomTags.DimensionIndexPointer, DicomTags.ImagePositionPatient);
        ds.AddOrUpdate(DicomTags.FrameIncrementPointer, DicomTags.FrameTime, DicomTags.FrameTimeVector);
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, Uid(1));
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, Uid(2));
        ds.AddOrUpdate(DicomTags.VectorGridData, DicomVR.OF, 0.5f, -1f, float.Epsilon);
        ds.AddOrUpdate(DicomTags.DoublePointCoordinatesData, DicomVR.OD, 1.0 / 3, double.MaxValue, -0.0);
        ds.AddOrUpdate(DicomTags.LongPrimitivePointIndexList, DicomVR.OL, 7u, 0xDEADBEEFu);
        ds.AddOrUpdate(DicomTags.SelectorUNValue, DicomVR.UN, new byte[] { 0xCA, 0xFE, 0xBA });
        ds.AddOrUpdate(DicomTags.SelectorOVValue, DicomVR.OV, 1UL, ulong.MaxValue);
        ds.AddOrUpdate(DicomTags.SelectorSVValue, DicomVR.SV, long.MinValue, -1L, 42L);
        ds.AddOrUpdate(DicomTags.SelectorUVValue, DicomVR.UV, ulong.MaxValue, 0UL);
        ds.AddOrUpdate(DicomTags.RedPaletteColorLookupTableData, DicomVR.OW, (ushort)0, (ushort)0x1234, (ushort)0xFFFF);

        // Three levels of undefined-length sequences (Referenced Image > Source Image > Purpose of Reference).
        var code = new DicomDataset()
            .AddOrUpdate(DicomTags.CodeValue, DicomVR.SH, "121320")
            .AddOrUpdate(DicomTags.CodingSchemeDesignator, DicomVR.SH, "DCM")
            .AddOrUpdate(DicomTags.CodeMeaning, DicomVR.LO, "Uncompressed predecessor");
        var source = new DicomDataset()
            .AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomVR.UI, CtImageSopClass)
            .AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, Uid(20001))
            .AddOrUpdate(DicomTags.PurposeOfReferenceCodeSequence, code);
        var referenced = new DicomDataset()
            .AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomVR.UI, CtImageSopClass)
            .AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, Uid(20002))
            .AddOrUpdate(DicomTags.SourceImageSequence, source);
        ds.AddOrUpdate(DicomTags.ReferencedImageSequence, referenced, new DicomDataset()); // second item empty
        ds.AddOrUpdate(new DicomSequence(DicomTags.LanguageCodeSequence));                // empty sequence

        // Private blocks: two creators in group 0029; a private sequence whose item holds its own private block.
        ds.AddOrUpdate(Private(PrivateGroup, 0, 0x10), DicomVR.LO, PrivateCreator);
        ds.AddOrUpdate(Private(PrivateGroup, 0, 0x11), DicomVR.LO, OtherPrivateCreator);
        ds.AddOrUpdate(Private(PrivateGroup, 0x10, 0x01), DicomVR.LO, "private text");
        ds.AddOrUpdate(Private(PrivateGroup, 0x10, 0x02), DicomVR.US, (ushort)513, (ushort)7);
        ds.AddOrUpdate(Private(PrivateGroup, 0x10, 0x03), DicomVR.OB, new byte[] { 9, 8, 7 });
        var innerItem = new DicomDataset()
            .AddOrUpdate(Private(InnerPrivateGroup, 0, 0x10), DicomVR.LO, InnerPrivateCreator)
            .AddOrUpdate(Private(InnerPrivateGroup, 0x10, 0x01), DicomVR.LO, "inner private")
            .AddOrUpdate(Private(InnerPrivateGroup, 0x10, 0x02), DicomVR.FD, 2.5);
        ds.AddOrUpdate(new DicomSequence(Private(PrivateGroup, 0x10, 0x04), [innerItem]));
        ds.AddOrUpdate(Private(PrivateGroup, 0x11, 0x01), DicomVR.DS, "-1.5E3");

        AddImage(ds, rows: 16, columns: 16, seed: 1);
        return ds;
    }

    /// <summary>Deterministic ASCII text of exactly <paramref name="length"/> characters.</summary>
    public static string BigText(int length)
    {
        var sb = new StringBuilder(length);
        for (var i = 0; sb.Length < length; i++) sb.Append((char)('A' + i % 26));
        return sb.ToString();
    }

    /// <summary>Adds the Image Pixel module with a 16-bit monochrome gradient plus noise (native, OW).</summary>
    public static DicomDataset AddImage(DicomDataset ds, int rows, int columns, int seed, int frames = 1, int bitsStored = 16)
    {
        var rnd = new Random(seed);
        var pixels = new byte[rows * columns * 2 * frames];
        var max = (1 << bitsStored) - 1;
        for (var f = 0; f < frames; f++)
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < columns; c++)
                {
                    var v = (r * 97 + c * 31 + f * 1000 + rnd.Next(8)) % (max + 1);
                    BinaryPrimitives.WriteUInt16LittleEndian(pixels.AsSpan(((f * rows + r) * columns + c) * 2), (ushort)v);
                }
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1)
          .AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2")
          .AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)rows)
          .AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)columns)
          .AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)16)
          .AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)bitsStored)
          .AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)(bitsStored - 1))
          .AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)0)
          .AddOrUpdate(DicomTags.PixelData, DicomVR.OW, pixels);
        if (frames > 1) ds.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, frames);
        return ds;
    }

    /// <summary>A small secondary-capture image with a few patient/study attributes (for CLI and malformed tests).</summary>
    public static DicomDataset SmallImage(int rows = 8, int columns = 8)
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192")
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, SecondaryCaptureSopClass)
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, Uid(30001))
            .AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, "20240131")
            .AddOrUpdate(DicomTags.Modality, DicomVR.CS, "OT")
            .AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Müller^Jürgen")
            .AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "SMALL-1")
            .AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, Uid(3))
            .AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, Uid(4))
            .AddOrUpdate(DicomTags.ReferencedImageSequence, new DicomDataset()
                .AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomVR.UI, CtImageSopClass)
                .AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, Uid(30002)))
            .AddOrUpdate(Private(PrivateGroup, 0, 0x10), DicomVR.LO, PrivateCreator)
            .AddOrUpdate(Private(PrivateGroup, 0x10, 0x01), DicomVR.LO, "private text");
        return AddImage(ds, rows, columns, seed: 7, bitsStored: 12);
    }

    /// <summary>
    /// A CT Image (PS3.3 A.3) with every module the IOD requires: Patient, General Study, General Series,
    /// Frame of Reference, General Equipment, General Acquisition, General Image, Image Plane, Image Pixel,
    /// CT Image, VOI LUT and SOP Common.
    /// </summary>
    public static DicomDataset CtImage(int rows = 32, int columns = 32, int instance = 1)
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192")
            .AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL")
            .AddOrUpdate(DicomTags.InstanceCreationDate, DicomVR.DA, "20240131")
            .AddOrUpdate(DicomTags.InstanceCreationTime, DicomVR.TM, "120000")
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, CtImageSopClass)
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, Uid(40000 + instance))
            .AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, "20240131")
            .AddOrUpdate(DicomTags.SeriesDate, DicomVR.DA, "20240131")
            .AddOrUpdate(DicomTags.AcquisitionDate, DicomVR.DA, "20240131")
            .AddOrUpdate(DicomTags.ContentDate, DicomVR.DA, "20240131")
            .AddOrUpdate(DicomTags.StudyTime, DicomVR.TM, "120000")
            .AddOrUpdate(DicomTags.SeriesTime, DicomVR.TM, "120100")
            .AddOrUpdate(DicomTags.AcquisitionTime, DicomVR.TM, "120200")
            .AddOrUpdate(DicomTags.ContentTime, DicomVR.TM, "120300")
            .AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, "ACC-CT-1")
            .AddOrUpdate(DicomTags.Modality, DicomVR.CS, "CT")
            .AddOrUpdate(DicomTags.Manufacturer, DicomVR.LO, "FedNano")
            .AddOrUpdate(DicomTags.ReferringPhysicianName, DicomVR.PN, "Doe^John")
            .AddOrUpdate(DicomTags.StudyDescription, DicomVR.LO, "CT thorax")
            .AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, "Axial 1mm")
            .AddOrUpdate(DicomTags.ManufacturerModelName, DicomVR.LO, "Synthetic")
            .AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Müller^Jürgen")
            .AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "CT-PID-1")
            .AddOrUpdate(DicomTags.PatientBirthDate, DicomVR.DA, "19700101")
            .AddOrUpdate(DicomTags.PatientSex, DicomVR.CS, "F")
            .AddOrUpdate(DicomTags.SliceThickness, DicomVR.DS, 1.0)
            .AddOrUpdate(DicomTags.KVP, DicomVR.DS, 120)
            .AddOrUpdate(DicomTags.PatientPosition, DicomVR.CS, "HFS")
            .AddOrUpdate(DicomTags.Laterality, DicomVR.CS, Array.Empty<string>())
            .AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, Uid(5))
            .AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, Uid(6))
            .AddOrUpdate(DicomTags.StudyID, DicomVR.SH, "S1")
            .AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, 1)
            .AddOrUpdate(DicomTags.AcquisitionNumber, DicomVR.IS, 1)
            .AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, instance)
            .AddOrUpdate(DicomTags.PatientOrientation, DicomVR.CS, "L", "P")
            .AddOrUpdate(DicomTags.ImagePositionPatient, DicomVR.DS, -100.0, -100.0, instance * 1.0)
            .AddOrUpdate(DicomTags.ImageOrientationPatient, DicomVR.DS, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
            .AddOrUpdate(DicomTags.FrameOfReferenceUID, DicomVR.UI, Uid(7))
            .AddOrUpdate(DicomTags.PositionReferenceIndicator, DicomVR.LO, Array.Empty<string>())
            .AddOrUpdate(DicomTags.SliceLocation, DicomVR.DS, instance * 1.0)
            .AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, 0.5, 0.5)
            .AddOrUpdate(DicomTags.WindowCenter, DicomVR.DS, 40)
            .AddOrUpdate(DicomTags.WindowWidth, DicomVR.DS, 400)
            .AddOrUpdate(DicomTags.RescaleIntercept, DicomVR.DS, -1024)
            .AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, 1)
            .AddOrUpdate(DicomTags.RescaleType, DicomVR.LO, "HU");
        return AddImage(ds, rows, columns, seed: instance, bitsStored: 12);
    }

    // ------------------------------------------------------------------ random datasets

    private static readonly Lazy<DicomDictionaryEntry[]> Pool = new(() => DicomDictionary.Entries
        .Where(e => !e.IsRange && e.VRs.Count == 1 && e.VR != DicomVR.None && e.Tag.Group >= 0x0008 && e.Tag.Group < 0x7FE0
                    && e.Tag.Group != 0xFFFE && e.Tag.Element != 0 && e.Tag != DicomTags.SpecificCharacterSet)
        .OrderBy(e => e.Tag.Value)
        .ToArray());

    private static readonly DicomVR[] PrivateVRs =
    [
        DicomVR.AE, DicomVR.AS, DicomVR.AT, DicomVR.CS, DicomVR.DA, DicomVR.DS, DicomVR.DT, DicomVR.FD, DicomVR.FL, DicomVR.IS,
        DicomVR.LO, DicomVR.LT, DicomVR.OB, DicomVR.OD, DicomVR.OF, DicomVR.OL, DicomVR.OV, DicomVR.OW, DicomVR.PN, DicomVR.SH,
        DicomVR.SL, DicomVR.SQ, DicomVR.SS, DicomVR.ST, DicomVR.SV, DicomVR.TM, DicomVR.UC, DicomVR.UI, DicomVR.UL, DicomVR.UN,
        DicomVR.UR, DicomVR.US, DicomVR.UT, DicomVR.UV,
    ];

    /// <summary>
    /// A random dataset for property tests: public elements of random dictionary tags with values valid for
    /// their VR (sometimes empty, sometimes odd length), random private blocks with random VRs, and sequences
    /// nested up to <paramref name="maxDepth"/> levels. Text is UTF-8 (ISO_IR 192). Same seed, same dataset.
    /// </summary>
    public static DicomDataset Random(int seed, int maxDepth = 3)
    {
        var rnd = new Random(seed);
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomElement(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192"u8.ToArray()));
        Fill(ds, rnd, maxDepth, rnd.Next(5, 40));
        return ds;
    }

    private static void Fill(DicomDataset ds, Random rnd, int depthLeft, int count)
    {
        var pool = Pool.Value;
        for (var i = 0; i < count; i++)
        {
            var entry = pool[rnd.Next(pool.Length)];
            if (entry.VR == DicomVR.SQ)
            {
                if (depthLeft <= 0) continue;
                ds.AddOrUpdate(RandomSequence(entry.Tag, rnd, depthLeft));
            }
            else ds.AddOrUpdate(new DicomElement(entry.Tag, entry.VR, RandomValue(entry.VR, rnd)));
        }
        if (rnd.Next(3) > 0)
        {
            // A private block: creator plus a few elements of random VRs in an odd group.
            var group = (ushort)(0x0009 + 2 * rnd.Next(0, 0x3F0));
            var block = (byte)rnd.Next(0x10, 0x100);
            var creator = "RANDOM CREATOR " + rnd.Next(1000).ToString(CultureInfo.InvariantCulture);
            ds.AddOrUpdate(new DicomElement(new DicomTag(group, block), DicomVR.LO, Encoding.ASCII.GetBytes(creator)));
            var n = rnd.Next(1, 6);
            for (var k = 0; k < n; k++)
            {
                var tag = Private(group, block, (byte)rnd.Next(0, 0x100));
                var vr = PrivateVRs[rnd.Next(PrivateVRs.Length)];
                if (vr == DicomVR.SQ)
                {
                    if (depthLeft <= 0) continue;
                    ds.AddOrUpdate(RandomSequence(tag, rnd, depthLeft));
                }
                else ds.AddOrUpdate(new DicomElement(tag, vr, RandomValue(vr, rnd)));
            }
        }
    }

    private static DicomSequence RandomSequence(DicomTag tag, Random rnd, int depthLeft)
    {
        var seq = new DicomSequence(tag);
        var items = rnd.Next(0, 4);
        for (var j = 0; j < items; j++)
        {
            var item = new DicomDataset();
            Fill(item, rnd, depthLeft - 1, rnd.Next(0, 6));
            seq.Items.Add(item);
        }
        return seq;
    }

    private const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";
    private const string Printable = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-_^=()";
    private const string Unicode = "äöüßéèñçÅØ中文日本語한국어";

    /// <summary>Random value bytes valid for <paramref name="vr"/> (little-endian; possibly empty or odd length).</summary>
    public static byte[] RandomValue(DicomVR vr, Random rnd)
    {
        if (rnd.Next(10) == 0) return [];
        var count = rnd.Next(1, 4);
        string Join(Func<string> one) => string.Join('\\', Enumerable.Range(0, count).Select(_ => one()));
        string Chars(string alphabet, int min, int max) =>
            new(Enumerable.Range(0, rnd.Next(min, max + 1)).Select(_ => alphabet[rnd.Next(alphabet.Length)]).ToArray());
        byte[] Binary(int size)
        {
            var b = new byte[size * rnd.Next(1, 5)];
            rnd.NextBytes(b);
            return b;
        }
        string Text(int max) => rnd.Next(4) == 0 ? Chars(Printable + Unicode, 1, max) : Chars(Printable, 1, max);
        var text = vr switch
        {
            DicomVR.AE => Join(() => Chars(Letters + Digits + "_", 1, 16)),
            DicomVR.AS => Join(() => rnd.Next(1000).ToString("D3", CultureInfo.InvariantCulture) + "DWMY"[rnd.Next(4)]),
            DicomVR.CS => Join(() => Chars(Letters + Digits + "_ ", 1, 16).Trim() is { Length: > 0 } s ? s : "X"),
            DicomVR.DA => Join(() => new DateOnly(1900, 1, 1).AddDays(rnd.Next(60000)).ToString("yyyyMMdd", CultureInfo.InvariantCulture)),
            DicomVR.DS => Join(() => (rnd.NextDouble() * 2e6 - 1e6).ToString("G8", CultureInfo.InvariantCulture)),
            DicomVR.DT => Join(() => "2024" + rnd.Next(1, 13).ToString("D2", CultureInfo.InvariantCulture) + "0102030405.123456"),
            DicomVR.IS => Join(() => rnd.Next(-100000, 100000).ToString(CultureInfo.InvariantCulture)),
            DicomVR.LO => Join(() => Text(64)),
            DicomVR.SH => Join(() => Text(16)),
            DicomVR.PN => Join(() => Text(10) + "^" + Text(10)),
            DicomVR.UC => Join(() => Text(100)),
            DicomVR.LT or DicomVR.ST or DicomVR.UT => Text(200) + "\\" + Text(20) + "\r\n" + Text(20),
            DicomVR.TM => Join(() => rnd.Next(24).ToString("D2", CultureInfo.InvariantCulture) + "3015.5"),
            DicomVR.UI => Join(() => "1.2." + rnd.Next(1, int.MaxValue).ToString(CultureInfo.InvariantCulture) + "." + rnd.Next(1, 999).ToString(CultureInfo.InvariantCulture)),
            DicomVR.UR => "http://example.org/" + Chars(Letters, 1, 30),
            _ => null,
        };
        if (text is not null) return Encoding.UTF8.GetBytes(text);
        return vr switch
        {
            DicomVR.OB or DicomVR.UN => Binary(1).Concat(rnd.Next(2) == 0 ? [] : new byte[] { 0x5A }).ToArray(),
            DicomVR.AT => Binary(4),
            DicomVR.SS or DicomVR.US or DicomVR.OW => Binary(2),
            DicomVR.SL or DicomVR.UL or DicomVR.OL or DicomVR.FL or DicomVR.OF => Binary(4),
            DicomVR.FD or DicomVR.OD or DicomVR.SV or DicomVR.UV or DicomVR.OV => Binary(8),
            _ => throw new ArgumentOutOfRangeException(nameof(vr), vr, null),
        };
    }
}
