using System.Buffers.Binary;
using FedNano.Dicom;

namespace FedNano.Testing;

/// <summary>One synthetic instance: its UIDs, the Part 10 bytes sent, and the native pixel bytes inside.</summary>
public sealed record TestInstance(string Study, string Series, string Sop, byte[] File, byte[] Pixels, int Rows, int Columns, int Frames)
{
    /// <summary>The WADO-RS path of the instance, relative to the DICOMweb root.</summary>
    public string WadoPath => $"studies/{Study}/series/{Series}/instances/{Sop}";
}

/// <summary>A study of synthetic instances (one series).</summary>
public sealed record TestStudy(string Study, string Series, string PatientId, IReadOnlyList<TestInstance> Instances)
{
    /// <summary>The Part 10 files.</summary>
    public IEnumerable<byte[]> Files => Instances.Select(i => i.File);

    /// <summary>The SOP Instance UIDs.</summary>
    public IEnumerable<string> Sops => Instances.Select(i => i.Sop);

    /// <summary>The instance with <paramref name="sop"/>.</summary>
    public TestInstance this[string sop] => Instances.Single(i => i.Sop == sop);
}

/// <summary>Synthetic CT Image instances built with our codec (deterministic pixels; fresh UIDs per call; no committed binaries).</summary>
public static class Instances
{
    /// <summary>CT Image Storage.</summary>
    public const string CtImageSopClass = "1.2.840.10008.5.1.4.1.1.2";

    /// <summary>A patient ID nobody else in the run uses, so a QIDO by PatientID finds exactly one test's data.</summary>
    public static string UniquePatientId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>
    /// A study with one series of <paramref name="count"/> CT instances of <paramref name="rows"/>×<paramref name="columns"/>
    /// 16-bit pixels and <paramref name="frames"/> frames each, encoded in <paramref name="syntax"/> (default Explicit VR LE).
    /// </summary>
    public static TestStudy Study(int count, int rows = 64, int columns = 64, int frames = 1, string? patientId = null,
        DicomTransferSyntax? syntax = null, string patientName = "Peer^Test")
    {
        var study = DicomUid.Generate();
        var series = DicomUid.Generate();
        var pid = patientId ?? UniquePatientId("PEER");
        var list = new List<TestInstance>(count);
        for (var i = 0; i < count; i++)
        {
            var sop = DicomUid.Generate();
            var pixels = Pixels(rows, columns, frames, seed: i + 1);
            var ds = Ct(study, series, sop, rows, columns, frames, pixels, pid, patientName, instanceNumber: i + 1);
            var file = new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian).ToBytes(syntax ?? DicomTransferSyntax.ExplicitVRLittleEndian);
            list.Add(new TestInstance(study, series, sop, file, pixels, rows, columns, frames));
        }
        return new TestStudy(study, series, pid, list);
    }

    /// <summary>A CT Image dataset (Explicit VR LE pixel state) with the given native pixel bytes.</summary>
    public static DicomDataset Ct(string study, string series, string sop, int rows, int columns, int frames, byte[] pixels,
        string patientId, string patientName, int instanceNumber)
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192")
            .AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL")
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, CtImageSopClass)
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, sop)
            .AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, "20240131")
            .AddOrUpdate(DicomTags.StudyTime, DicomVR.TM, "120000")
            .AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, "PEER-ACC")
            .AddOrUpdate(DicomTags.Modality, DicomVR.CS, "CT")
            .AddOrUpdate(DicomTags.Manufacturer, DicomVR.LO, "FedNano")
            .AddOrUpdate(DicomTags.ReferringPhysicianName, DicomVR.PN, "Doe^John")
            .AddOrUpdate(DicomTags.StudyDescription, DicomVR.LO, "Peer test study")
            .AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, "Peer test series")
            .AddOrUpdate(DicomTags.PatientName, DicomVR.PN, patientName)
            .AddOrUpdate(DicomTags.PatientID, DicomVR.LO, patientId)
            .AddOrUpdate(DicomTags.PatientBirthDate, DicomVR.DA, "19700101")
            .AddOrUpdate(DicomTags.PatientSex, DicomVR.CS, "F")
            .AddOrUpdate(DicomTags.SliceThickness, DicomVR.DS, 1.0)
            .AddOrUpdate(DicomTags.KVP, DicomVR.DS, 120)
            .AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, study)
            .AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, series)
            .AddOrUpdate(DicomTags.StudyID, DicomVR.SH, "S1")
            .AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, 1)
            .AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, instanceNumber)
            .AddOrUpdate(DicomTags.ImagePositionPatient, DicomVR.DS, -100.0, -100.0, instanceNumber * 1.0)
            .AddOrUpdate(DicomTags.ImageOrientationPatient, DicomVR.DS, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
            .AddOrUpdate(DicomTags.FrameOfReferenceUID, DicomVR.UI, study + ".1")
            .AddOrUpdate(DicomTags.PositionReferenceIndicator, DicomVR.LO, Array.Empty<string>())
            .AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1)
            .AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2")
            .AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)rows)
            .AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)columns)
            .AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, 0.5, 0.5)
            .AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)16)
            .AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)12)
            .AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)11)
            .AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)0)
            .AddOrUpdate(DicomTags.WindowCenter, DicomVR.DS, 40)
            .AddOrUpdate(DicomTags.WindowWidth, DicomVR.DS, 400)
            .AddOrUpdate(DicomTags.RescaleIntercept, DicomVR.DS, -1024)
            .AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, 1);
        if (frames > 1) ds.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, frames);
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, pixels);
        return ds;
    }

    /// <summary>Native 16-bit little-endian pixels (12 bits used), frame after frame, different per seed and frame.</summary>
    public static byte[] Pixels(int rows, int columns, int frames, int seed)
    {
        var pixels = new byte[checked(rows * columns * 2 * frames)];
        var span = pixels.AsSpan();
        var i = 0;
        for (var f = 0; f < frames; f++)
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < columns; c++, i += 2)
                    BinaryPrimitives.WriteUInt16LittleEndian(span[i..], (ushort)((r * 97 + c * 31 + f * 401 + seed * 13 + ((r ^ c) & 7)) % 4096));
        return pixels;
    }
}
