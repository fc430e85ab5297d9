using System.Globalization;
using FedNano.Dicom;

namespace FedNano.Samples.SampleData;

/// <summary>Patient and study attributes shared by every instance of one synthetic study.</summary>
/// <param name="PatientName">Patient's Name (PN).</param>
/// <param name="PatientId">Patient ID.</param>
/// <param name="StudyInstanceUid">Study Instance UID.</param>
/// <param name="StudyId">Study ID.</param>
/// <param name="AccessionNumber">Accession Number.</param>
/// <param name="StudyDate">Study (and content, acquisition, instance creation) date.</param>
/// <param name="StudyTime">Study time.</param>
public sealed record SampleStudy(string PatientName, string PatientId, string StudyInstanceUid, string StudyId,
    string AccessionNumber, DateOnly StudyDate, TimeOnly StudyTime);

/// <summary>Series attributes shared by the slices of one synthetic series.</summary>
/// <param name="SeriesInstanceUid">Series Instance UID.</param>
/// <param name="FrameOfReferenceUid">Frame of Reference UID.</param>
/// <param name="SeriesNumber">Series Number.</param>
/// <param name="Description">Series Description.</param>
/// <param name="ConvolutionKernel">Reconstruction kernel name.</param>
/// <param name="SliceThicknessMm">Nominal slice thickness.</param>
public sealed record SampleSeries(string SeriesInstanceUid, string FrameOfReferenceUid, int SeriesNumber, string Description,
    string ConvolutionKernel, double SliceThicknessMm);

/// <summary>
/// Builds synthetic but complete DICOM instances of a Shepp–Logan head phantom:
/// CT Image Storage slices (every module of the CT Image IOD that a scanner fills in) and a Multi-frame Grayscale Word
/// Secondary Capture volume. Everything (pixel noise and UIDs included) is a function of the seed.
/// </summary>
public static class CtSampleGenerator
{
    /// <summary>CT Image Storage.</summary>
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    /// <summary>Multi-frame Grayscale Word Secondary Capture Image Storage.</summary>
    public const string MultiFrameGrayscaleWordSecondaryCaptureStorage = "1.2.840.10008.5.1.4.1.1.7.3";

    /// <summary>Bytes of one 16-bit frame of <paramref name="size"/>×<paramref name="size"/> pixels.</summary>
    public static long FrameBytes(int size) => 2L * size * size;

    /// <summary>Frames of <paramref name="size"/>×<paramref name="size"/>×16 bits needed for at least <paramref name="bytes"/> bytes of pixel data.</summary>
    public static int FramesForBytes(long bytes, int size) => checked((int)((bytes + FrameBytes(size) - 1) / FrameBytes(size)));

    /// <summary>A study identity derived from <paramref name="seed"/>, taking its UIDs from <paramref name="uids"/>.</summary>
    public static SampleStudy CreateStudy(SampleUidGenerator uids, ulong seed) => new(
        PatientName: "Phantom^Shepp Logan",
        PatientId: "PHANTOM-" + seed.ToString("D4", CultureInfo.InvariantCulture),
        StudyInstanceUid: uids.Next(),
        StudyId: "1",
        AccessionNumber: "SYN" + (seed % 10_000_000).ToString("D7", CultureInfo.InvariantCulture),
        StudyDate: new DateOnly(2024, 3, 15),
        StudyTime: new TimeOnly(10, 15, 0));

    /// <summary>A series identity taking its UIDs from <paramref name="uids"/>.</summary>
    public static SampleSeries CreateSeries(SampleUidGenerator uids, int number, string description, string kernel, double sliceThicknessMm) =>
        new(uids.Next(), uids.Next(), number, description, kernel, sliceThicknessMm);

    // ------------------------------------------------------------------ CT Image Storage

    /// <summary>
    /// A CT Image Storage dataset: one axial slice of <paramref name="size"/>×<paramref name="size"/> signed 16-bit
    /// stored values (HU + 1024; Rescale Intercept −1024, slope 1) at table position <paramref name="zMm"/>.
    /// </summary>
    /// <param name="study">Patient and study identity.</param>
    /// <param name="series">Series identity.</param>
    /// <param name="sopInstanceUid">SOP Instance UID of this slice.</param>
    /// <param name="instanceNumber">Instance Number (1-based).</param>
    /// <param name="size">Rows and columns.</param>
    /// <param name="zMm">Slice location in millimetres (patient z; 0 is the phantom centre).</param>
    /// <param name="noiseSeed">Seed of the pixel noise.</param>
    public static DicomDataset CreateCtSlice(SampleStudy study, SampleSeries series, string sopInstanceUid, int instanceNumber,
        int size, double zMm, ulong noiseSeed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        var ds = new DicomDataset();
        var acquisitionTime = study.StudyTime.Add(TimeSpan.FromMinutes(2));
        var contentTime = acquisitionTime.Add(TimeSpan.FromMilliseconds(500.0 * instanceNumber));

        // SOP Common
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, CtImageStorage);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, sopInstanceUid);
        ds.AddOrUpdate(DicomTags.InstanceCreationDate, study.StudyDate);
        ds.AddOrUpdate(DicomTags.InstanceCreationTime, contentTime);

        // General Image (+ CT Image: Image Type is type 1 there)
        ds.AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.AddOrUpdate(DicomTags.ContentDate, study.StudyDate);
        ds.AddOrUpdate(DicomTags.ContentTime, contentTime);
        ds.AddOrUpdate<int>(DicomTags.InstanceNumber, DicomVR.IS, instanceNumber);
        ds.AddOrUpdate(DicomTags.BurnedInAnnotation, DicomVR.CS, "NO");
        ds.AddOrUpdate(DicomTags.LossyImageCompression, DicomVR.CS, "00");

        // General Acquisition (+ CT Image: Acquisition Number is type 2)
        ds.AddOrUpdate(DicomTags.AcquisitionDate, study.StudyDate);
        ds.AddOrUpdate(DicomTags.AcquisitionTime, acquisitionTime);
        ds.AddOrUpdate<int>(DicomTags.AcquisitionNumber, DicomVR.IS, 1);

        AddPatientStudySeries(ds, study, series, modality: "CT");

        // General Equipment
        AddEquipment(ds);

        // Frame of Reference
        ds.AddOrUpdate(DicomTags.FrameOfReferenceUID, DicomVR.UI, series.FrameOfReferenceUid);
        ds.AddOrUpdate(DicomTags.PositionReferenceIndicator, DicomVR.LO, "");

        // CT Image (acquisition and reconstruction parameters; the type 1/2 ones and the usual type 3 ones)
        ds.AddOrUpdate(DicomTags.ScanOptions, DicomVR.CS, "HELICAL");
        ds.AddOrUpdate<double>(DicomTags.KVP, DicomVR.DS, 120);
        ds.AddOrUpdate<double>(DicomTags.DataCollectionDiameter, DicomVR.DS, 500);
        ds.AddOrUpdate<double>(DicomTags.ReconstructionDiameter, DicomVR.DS, 2 * SheppLoganPhantom.HalfFieldOfViewMm);
        ds.AddOrUpdate<double>(DicomTags.DistanceSourceToDetector, DicomVR.DS, 1085.6);
        ds.AddOrUpdate<double>(DicomTags.DistanceSourceToPatient, DicomVR.DS, 595);
        ds.AddOrUpdate<double>(DicomTags.GantryDetectorTilt, DicomVR.DS, 0);
        ds.AddOrUpdate<double>(DicomTags.TableHeight, DicomVR.DS, 150);
        ds.AddOrUpdate(DicomTags.RotationDirection, DicomVR.CS, "CW");
        ds.AddOrUpdate<int>(DicomTags.ExposureTime, DicomVR.IS, 1000);
        ds.AddOrUpdate<int>(DicomTags.XRayTubeCurrent, DicomVR.IS, 250);
        ds.AddOrUpdate<int>(DicomTags.Exposure, DicomVR.IS, 250);
        ds.AddOrUpdate(DicomTags.FilterType, DicomVR.SH, "BODY");
        ds.AddOrUpdate<int>(DicomTags.GeneratorPower, DicomVR.IS, 30);
        ds.AddOrUpdate<double>(DicomTags.FocalSpots, DicomVR.DS, 0.7);
        ds.AddOrUpdate(DicomTags.ConvolutionKernel, DicomVR.SH, series.ConvolutionKernel);
        ds.AddOrUpdate<double>(DicomTags.RevolutionTime, DicomVR.FD, 1.0);
        ds.AddOrUpdate<double>(DicomTags.SingleCollimationWidth, DicomVR.FD, 0.625);
        ds.AddOrUpdate<double>(DicomTags.TotalCollimationWidth, DicomVR.FD, 40);
        ds.AddOrUpdate<double>(DicomTags.TableSpeed, DicomVR.FD, 39.375);
        ds.AddOrUpdate<double>(DicomTags.TableFeedPerRotation, DicomVR.FD, 39.375);
        ds.AddOrUpdate<double>(DicomTags.SpiralPitchFactor, DicomVR.FD, 0.984375);
        ds.AddOrUpdate<double>(DicomTags.CTDIvol, DicomVR.FD, 48.7);
        var phantom = new DicomDataset();
        phantom.AddOrUpdate(DicomTags.CodeValue, DicomVR.SH, "113691");
        phantom.AddOrUpdate(DicomTags.CodingSchemeDesignator, DicomVR.SH, "DCM");
        phantom.AddOrUpdate(DicomTags.CodeMeaning, DicomVR.LO, "IEC Head Dosimetry Phantom");
        ds.AddOrUpdate(DicomTags.CTDIPhantomTypeCodeSequence, phantom);

        // Image Plane: axial, head first supine; position is the centre of the first transmitted pixel.
        var spacing = 2 * SheppLoganPhantom.HalfFieldOfViewMm / size;
        var origin = -SheppLoganPhantom.HalfFieldOfViewMm + spacing / 2;
        ds.AddOrUpdate<double>(DicomTags.SliceThickness, DicomVR.DS, series.SliceThicknessMm);
        ds.AddOrUpdate<double>(DicomTags.ImagePositionPatient, DicomVR.DS, origin, origin, Round(zMm));
        ds.AddOrUpdate<double>(DicomTags.ImageOrientationPatient, DicomVR.DS, 1, 0, 0, 0, 1, 0);
        ds.AddOrUpdate<double>(DicomTags.SliceLocation, DicomVR.DS, Round(zMm));

        // Image Pixel + CT Image pixel constraints
        AddImagePixelDescription(ds, size, size, frames: 1, signed: true);
        ds.AddOrUpdate<double>(DicomTags.RescaleIntercept, DicomVR.DS, -1024);
        ds.AddOrUpdate<double>(DicomTags.RescaleSlope, DicomVR.DS, 1);
        ds.AddOrUpdate(DicomTags.RescaleType, DicomVR.LO, "HU");

        // VOI LUT: a brain and a bone window
        ds.AddOrUpdate<double>(DicomTags.WindowCenter, DicomVR.DS, 40, 600);
        ds.AddOrUpdate<double>(DicomTags.WindowWidth, DicomVR.DS, 80, 2800);
        ds.AddOrUpdate(DicomTags.WindowCenterWidthExplanation, DicomVR.LO, "BRAIN", "BONE");

        ds.AddOrUpdate(new DicomElement(DicomTags.PixelData, DicomVR.OW,
            SheppLoganPhantom.RenderSlice(size, zMm, noiseSeed)));
        return ds;
    }

    /// <summary>
    /// The single-slice sample: the central axial slice (z = 0, the classic Shepp–Logan cross-section) of a
    /// one-slice series in a new study, everything derived from <paramref name="seed"/>.
    /// </summary>
    public static DicomFile CreateCtSliceFile(int size = 512, ulong seed = 1, DicomTransferSyntax? transferSyntax = null)
    {
        var uids = new SampleUidGenerator("ct-slice", seed, (ulong)size);
        var study = CreateStudy(uids, seed);
        var series = CreateSeries(uids, 1, "Head 1.0 STANDARD (synthetic phantom)", "STANDARD", 1.0);
        var ds = CreateCtSlice(study, series, uids.Next(), 1, size, 0, SplitMix64.Mix(seed, 1));
        return new DicomFile(ds, transferSyntax ?? DicomTransferSyntax.ExplicitVRLittleEndian);
    }

    /// <summary>Writes <see cref="CreateCtSliceFile"/> to <paramref name="path"/>.</summary>
    public static void WriteCtSlice(string path, int size = 512, ulong seed = 1, DicomTransferSyntax? transferSyntax = null)
    {
        var file = CreateCtSliceFile(size, seed, transferSyntax);
        file.Save(path, file.TransferSyntax);
    }

    /// <summary>
    /// Writes <paramref name="count"/> CT slices of <paramref name="size"/>×<paramref name="size"/> into <paramref name="directory"/>
    /// as one study: series of up to 250 contiguous slices through the phantom, each series with its own kernel,
    /// every slice with its own SOP Instance UID. Returns the paths in instance order.
    /// </summary>
    public static IReadOnlyList<string> WriteMany(string directory, int count = 2000, int size = 64, ulong seed = 1,
        DicomTransferSyntax? transferSyntax = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Directory.CreateDirectory(directory);
        var uids = new SampleUidGenerator("many", seed, (ulong)size, (ulong)count);
        var study = CreateStudy(uids, seed);
        const int perSeries = 250;
        string[] kernels = ["STANDARD", "SOFT", "BONE", "LUNG", "DETAIL"];
        var paths = new List<string>(count);
        var written = 0;
        for (var s = 0; written < count; s++)
        {
            var n = Math.Min(perSeries, count - written);
            var extent = 2 * SheppLoganPhantom.HalfHeightMm;
            var spacing = Math.Round(extent / n, 3);
            var kernel = kernels[s % kernels.Length];
            var series = CreateSeries(uids, s + 1, $"Head {spacing.ToString("0.###", CultureInfo.InvariantCulture)} {kernel} (synthetic phantom)", kernel, spacing);
            for (var i = 0; i < n; i++)
            {
                var z = -SheppLoganPhantom.HalfHeightMm + (i + 0.5) * spacing;
                var ds = CreateCtSlice(study, series, uids.Next(), i + 1, size, z, SplitMix64.Mix(seed, (ulong)s, (ulong)i));
                var path = Path.Combine(directory, $"s{s + 1:D2}_{i + 1:D4}.dcm");
                new DicomFile(ds, transferSyntax ?? DicomTransferSyntax.ExplicitVRLittleEndian).Save(path, transferSyntax ?? DicomTransferSyntax.ExplicitVRLittleEndian);
                paths.Add(path);
                written++;
            }
        }
        return paths;
    }

    // ------------------------------------------------------------------ multi-frame

    /// <summary>
    /// A Multi-frame Grayscale Word Secondary Capture dataset holding <paramref name="frames"/> contiguous axial
    /// phantom slices of <paramref name="size"/>×<paramref name="size"/> unsigned 16-bit values (12 bits stored,
    /// HU + 1024), with the slice positions in Slice Location Vector. Frames are rendered in parallel; each has its own
    /// noise seed, so the result does not depend on scheduling.
    /// </summary>
    public static DicomDataset CreateMultiframe(int frames, int size = 512, ulong seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        var frameBytes = FrameBytes(size);
        var total = checked(frameBytes * frames);
        if (total + (total & 1) > uint.MaxValue - 1)
            throw new ArgumentOutOfRangeException(nameof(frames), $"{frames} frames of {size}×{size} exceed the 4 GiB DICOM value limit.");
        if (total > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(frames), $"{frames} frames of {size}×{size} do not fit one in-memory array.");

        var uids = new SampleUidGenerator("multiframe", seed, (ulong)size, (ulong)frames);
        var study = CreateStudy(uids, seed);
        var series = CreateSeries(uids, 100, "Head volume (synthetic phantom, secondary capture)", "STANDARD", 0);
        var extent = 2 * SheppLoganPhantom.HalfHeightMm;
        var spacing = extent / frames;
        var z = new double[frames];
        for (var i = 0; i < frames; i++) z[i] = Round(-SheppLoganPhantom.HalfHeightMm + (i + 0.5) * spacing);

        var pixels = new byte[total];
        Parallel.For(0, frames, i =>
            SheppLoganPhantom.RenderSlice(size, z[i], SplitMix64.Mix(seed, 0x4D46UL, (ulong)i), 5,
                pixels.AsSpan(checked((int)(i * frameBytes)), (int)frameBytes)));

        var ds = new DicomDataset();
        var time = study.StudyTime.Add(TimeSpan.FromMinutes(5));
        // SOP Common
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, MultiFrameGrayscaleWordSecondaryCaptureStorage);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, uids.Next());
        ds.AddOrUpdate(DicomTags.InstanceCreationDate, study.StudyDate);
        ds.AddOrUpdate(DicomTags.InstanceCreationTime, time);
        // General Image
        ds.AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "DERIVED", "SECONDARY");
        ds.AddOrUpdate(DicomTags.ContentDate, study.StudyDate);
        ds.AddOrUpdate(DicomTags.ContentTime, time);
        ds.AddOrUpdate<int>(DicomTags.InstanceNumber, DicomVR.IS, 1);
        ds.AddOrUpdate(DicomTags.PatientOrientation, DicomVR.CS, "L", "P");
        ds.AddOrUpdate(DicomTags.LossyImageCompression, DicomVR.CS, "00");
        // SC Equipment
        ds.AddOrUpdate(DicomTags.ConversionType, DicomVR.CS, "SYN");
        AddPatientStudySeries(ds, study, series, modality: "OT");
        AddEquipment(ds);
        // SC Image
        ds.AddOrUpdate(DicomTags.DateOfSecondaryCapture, study.StudyDate);
        ds.AddOrUpdate(DicomTags.TimeOfSecondaryCapture, time);
        // Multi-frame + SC Multi-frame Image + SC Multi-frame Vector
        ds.AddOrUpdate<int>(DicomTags.NumberOfFrames, DicomVR.IS, frames);
        ds.AddOrUpdate(DicomTags.FrameIncrementPointer, DicomTags.SliceLocationVector);
        ds.AddOrUpdate<double>(DicomTags.SliceLocationVector, DicomVR.DS, z);
        ds.AddOrUpdate(DicomTags.BurnedInAnnotation, DicomVR.CS, "NO");
        ds.AddOrUpdate(DicomTags.PresentationLUTShape, DicomVR.CS, "IDENTITY");
        AddImagePixelDescription(ds, size, size, frames, signed: false);
        ds.AddOrUpdate<double>(DicomTags.RescaleIntercept, DicomVR.DS, -1024);
        ds.AddOrUpdate<double>(DicomTags.RescaleSlope, DicomVR.DS, 1);
        ds.AddOrUpdate(DicomTags.RescaleType, DicomVR.LO, "HU");
        // VOI LUT
        ds.AddOrUpdate<double>(DicomTags.WindowCenter, DicomVR.DS, 1064);
        ds.AddOrUpdate<double>(DicomTags.WindowWidth, DicomVR.DS, 80);
        ds.AddOrUpdate(DicomTags.WindowCenterWidthExplanation, DicomVR.LO, "BRAIN");
        ds.AddOrUpdate(new DicomElement(DicomTags.PixelData, DicomVR.OW, pixels));
        return ds;
    }

    /// <summary>Writes <see cref="CreateMultiframe"/> to <paramref name="path"/>; returns the file size in bytes.</summary>
    public static long WriteMultiframe(string path, int frames, int size = 512, ulong seed = 1, DicomTransferSyntax? transferSyntax = null)
    {
        var ts = transferSyntax ?? DicomTransferSyntax.ExplicitVRLittleEndian;
        new DicomFile(CreateMultiframe(frames, size, seed), ts).Save(path, ts);
        return new FileInfo(path).Length;
    }

    // ------------------------------------------------------------------ shared modules

    private static void AddPatientStudySeries(DicomDataset ds, SampleStudy study, SampleSeries series, string modality)
    {
        // General Study
        ds.AddOrUpdate(DicomTags.StudyDate, study.StudyDate);
        ds.AddOrUpdate(DicomTags.SeriesDate, study.StudyDate);
        ds.AddOrUpdate(DicomTags.StudyTime, study.StudyTime);
        ds.AddOrUpdate(DicomTags.SeriesTime, study.StudyTime.Add(TimeSpan.FromMinutes(2)));
        ds.AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, study.AccessionNumber);
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, modality);
        ds.AddOrUpdate(DicomTags.ReferringPhysicianName, DicomVR.PN, "");
        ds.AddOrUpdate(DicomTags.StudyDescription, DicomVR.LO, "CT HEAD WO CONTRAST (synthetic phantom)");
        ds.AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, series.Description);
        // Patient
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, study.PatientName);
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, study.PatientId);
        ds.AddOrUpdate(DicomTags.PatientBirthDate, new DateOnly(1970, 1, 1));
        ds.AddOrUpdate(DicomTags.PatientSex, DicomVR.CS, "O");
        // Patient Study
        ds.AddOrUpdate(DicomTags.PatientAge, DicomVR.AS, "054Y");
        ds.AddOrUpdate<double>(DicomTags.PatientWeight, DicomVR.DS, 70);
        // General Series
        ds.AddOrUpdate(DicomTags.BodyPartExamined, DicomVR.CS, "HEAD");
        ds.AddOrUpdate(DicomTags.PatientPosition, DicomVR.CS, "HFS");
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, study.StudyInstanceUid);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, series.SeriesInstanceUid);
        ds.AddOrUpdate(DicomTags.StudyID, DicomVR.SH, study.StudyId);
        ds.AddOrUpdate<int>(DicomTags.SeriesNumber, DicomVR.IS, series.SeriesNumber);
    }

    private static void AddEquipment(DicomDataset ds)
    {
        ds.AddOrUpdate(DicomTags.Manufacturer, DicomVR.LO, "FedNano");
        ds.AddOrUpdate(DicomTags.InstitutionName, DicomVR.LO, "FedNano Synthetic Data");
        ds.AddOrUpdate(DicomTags.StationName, DicomVR.SH, "SAMPLEDATA");
        ds.AddOrUpdate(DicomTags.ManufacturerModelName, DicomVR.LO, "Shepp-Logan phantom generator");
        ds.AddOrUpdate(DicomTags.DeviceSerialNumber, DicomVR.LO, "0001");
        ds.AddOrUpdate(DicomTags.SoftwareVersions, DicomVR.LO, "FedNano SampleData 0.1");
    }

    private static void AddImagePixelDescription(DicomDataset ds, int rows, int columns, int frames, bool signed)
    {
        ds.AddOrUpdate<ushort>(DicomTags.SamplesPerPixel, DicomVR.US, 1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdate<ushort>(DicomTags.Rows, DicomVR.US, checked((ushort)rows));
        ds.AddOrUpdate<ushort>(DicomTags.Columns, DicomVR.US, checked((ushort)columns));
        if (frames == 1) // Pixel Spacing belongs to Image Plane (single-frame CT); the SC volume carries none.
        {
            var spacing = 2 * SheppLoganPhantom.HalfFieldOfViewMm / rows;
            ds.AddOrUpdate<double>(DicomTags.PixelSpacing, DicomVR.DS, spacing, spacing);
        }
        ds.AddOrUpdate<ushort>(DicomTags.BitsAllocated, DicomVR.US, 16);
        ds.AddOrUpdate<ushort>(DicomTags.BitsStored, DicomVR.US, (ushort)(signed ? 16 : 12));
        ds.AddOrUpdate<ushort>(DicomTags.HighBit, DicomVR.US, (ushort)(signed ? 15 : 11));
        ds.AddOrUpdate<ushort>(DicomTags.PixelRepresentation, DicomVR.US, (ushort)(signed ? 1 : 0));
    }

    private static double Round(double v) => Math.Round(v, 6);
}
