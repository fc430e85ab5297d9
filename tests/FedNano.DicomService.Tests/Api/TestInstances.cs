using System.Buffers.Binary;
using FedNano.Dicom;

namespace FedNano.DicomService.Tests.Api;

/// <summary>Small synthetic CT Image instances built with the codec (deterministic, no committed binaries).</summary>
internal static class TestInstances
{
    public const string CtImageSopClass = "1.2.840.10008.5.1.4.1.1.2";

    /// <summary>A fresh UID (2.25 + UUID).</summary>
    public static string NewUid() => DicomUid.Generate();

    /// <summary>A CT Image dataset with a 16-bit gradient (12 bits stored), <paramref name="frames"/> frames.</summary>
    public static DicomDataset Ct(string study, string series, string sop, int rows = 16, int columns = 16, int frames = 1,
        string patientId = "API-PID-1", string patientName = "Test^Patient", int instanceNumber = 1, int seed = 1)
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192")
            .AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL")
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, CtImageSopClass)
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, sop)
            .AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, "20240131")
            .AddOrUpdate(DicomTags.StudyTime, DicomVR.TM, "120000")
            .AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, "ACC-1")
            .AddOrUpdate(DicomTags.Modality, DicomVR.CS, "CT")
            .AddOrUpdate(DicomTags.ReferringPhysicianName, DicomVR.PN, "Doe^John")
            .AddOrUpdate(DicomTags.StudyDescription, DicomVR.LO, "API test study")
            .AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, "API test series")
            .AddOrUpdate(DicomTags.PatientName, DicomVR.PN, patientName)
            .AddOrUpdate(DicomTags.PatientID, DicomVR.LO, patientId)
            .AddOrUpdate(DicomTags.PatientBirthDate, DicomVR.DA, "19700101")
            .AddOrUpdate(DicomTags.PatientSex, DicomVR.CS, "F")
            .AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, study)
            .AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, series)
            .AddOrUpdate(DicomTags.StudyID, DicomVR.SH, "S1")
            .AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, 1)
            .AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, instanceNumber)
            .AddOrUpdate(DicomTags.ImagePositionPatient, DicomVR.DS, -100.0, -100.0, instanceNumber * 1.0)
            .AddOrUpdate(DicomTags.ImageOrientationPatient, DicomVR.DS, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
            .AddOrUpdate(DicomTags.FrameOfReferenceUID, DicomVR.UI, study + ".9")
            .AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, 0.5, 0.5)
            .AddOrUpdate(DicomTags.SliceThickness, DicomVR.DS, 1.0)
            .AddOrUpdate(DicomTags.KVP, DicomVR.DS, 120)
            .AddOrUpdate(DicomTags.WindowCenter, DicomVR.DS, 40)
            .AddOrUpdate(DicomTags.WindowWidth, DicomVR.DS, 400)
            .AddOrUpdate(DicomTags.RescaleIntercept, DicomVR.DS, -1024)
            .AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, 1);

        var pixels = Pixels(rows, columns, frames, seed);
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1)
          .AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2")
          .AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)rows)
          .AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)columns)
          .AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)16)
          .AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)12)
          .AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)11)
          .AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)0)
          .AddOrUpdate(DicomTags.PixelData, DicomVR.OW, pixels);
        if (frames > 1) ds.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, frames);
        return ds;
    }

    /// <summary>The native pixel bytes <see cref="Ct"/> puts in (little endian, frame after frame).</summary>
    public static byte[] Pixels(int rows, int columns, int frames, int seed)
    {
        var pixels = new byte[rows * columns * 2 * frames];
        for (var f = 0; f < frames; f++)
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < columns; c++)
                {
                    var v = (r * 97 + c * 31 + f * 401 + seed * 13) % 4096;
                    BinaryPrimitives.WriteUInt16LittleEndian(pixels.AsSpan(((f * rows + r) * columns + c) * 2), (ushort)v);
                }
        return pixels;
    }

    /// <summary>A Part 10 file of the dataset in <paramref name="syntax"/> (default Explicit VR Little Endian).</summary>
    public static byte[] File(DicomDataset dataset, DicomTransferSyntax? syntax = null) =>
        new DicomFile(dataset, DicomTransferSyntax.ExplicitVRLittleEndian).ToBytes(syntax ?? DicomTransferSyntax.ExplicitVRLittleEndian);

    /// <summary>A study with one series of <paramref name="count"/> single-frame instances, as files.</summary>
    public static (string Study, string Series, string[] Sops, byte[][] Files) Series(int count, DicomTransferSyntax? syntax = null, string patientId = "API-PID-1")
    {
        var study = NewUid();
        var series = NewUid();
        var sops = Enumerable.Range(0, count).Select(_ => NewUid()).ToArray();
        var files = sops.Select((sop, i) => File(Ct(study, series, sop, patientId: patientId, instanceNumber: i + 1, seed: i + 1), syntax)).ToArray();
        return (study, series, sops, files);
    }
}
