using System.Globalization;
using System.Runtime.InteropServices;
using FedNano.Dicom;
using FedNano.Reconstruction.Scans;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.DicomIo;

/// <summary>
/// Writes a reconstructed <see cref="CtVolume"/> (HU) as a standard CT Image Storage series, one axial slice per
/// instance (<c>slice_0001.dcm</c> …, InstanceNumber = slice + 1, slice 0 at the lowest z).
/// </summary>
/// <remarks>
/// <para>Modules: Patient, General Study, General Series, Frame of Reference, General Equipment, General Image
/// (ImageType DERIVED\PRIMARY\AXIAL; Derivation Description = <see cref="CtSeriesOptions.ReconstructionMethod"/>),
/// Image Plane (ImagePositionPatient = centre of voxel (0, 0, k), ImageOrientationPatient 1\0\0\0\1\0, PixelSpacing,
/// SliceThickness = slice spacing, SliceLocation = z), Image Pixel, CT Image (KVP, RescaleType HU, ConvolutionKernel),
/// VOI LUT (window from the options) and SOP Common.</para>
/// <para>Pixels: signed 16-bit, RescaleSlope 1, RescaleIntercept 0, so stored value = HU rounded to the nearest
/// integer (error ≤ 0.5 HU) and clamped to −32768…32767 HU.</para>
/// <para>Study and Frame of Reference come from the metadata, so the series joins the raw projection series' study
/// and frame of reference when given the raw series' (completed) metadata, e.g. as read back by
/// <see cref="DicomCtPdReader"/>; null UIDs are generated (then nothing links the two series).</para>
/// </remarks>
public sealed class CtImageSeriesWriter
{
    /// <summary>Manufacturer (0008,0070) written into the instances.</summary>
    public string Manufacturer { get; init; } = "FedNano";

    /// <summary>The file name of 0-based <paramref name="slice"/>: <c>slice_0001.dcm</c> for slice 0.</summary>
    public static string FileName(int slice) => string.Create(CultureInfo.InvariantCulture, $"slice_{slice + 1:D4}.dcm");

    /// <summary>
    /// Writes one file per slice into <paramref name="directory"/> (which must not exist or be empty), atomically:
    /// a failed or cancelled write leaves nothing behind.
    /// </summary>
    /// <param name="volume">Volume in Hounsfield units.</param>
    /// <param name="metadata">Patient/study identity and acquisition values (the raw series').</param>
    /// <param name="directory">Target directory.</param>
    /// <param name="options">Series description, number, kernel, window, method.</param>
    /// <param name="progress">Receives the number of slices written so far (1 … Nz).</param>
    /// <param name="ct">Cancels the write.</param>
    /// <exception cref="ArgumentException">The volume is not in HU, or an option or UID is invalid.</exception>
    /// <exception cref="IOException">The directory exists and is not empty, or writing failed.</exception>
    public void Write(CtVolume volume, ScanMetadata metadata, string directory, CtSeriesOptions options,
        IProgress<int>? progress = null, CancellationToken ct = default)
    {
        var datasets = ToDatasets(volume, metadata, options);
        AtomicDirectory.Write(directory, temp =>
        {
            var done = new ItemProgress(progress);
            int k = 0;
            foreach (var ds in datasets)
            {
                ct.ThrowIfCancellationRequested();
                using (var fs = new FileStream(Path.Combine(temp, FileName(k)), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    new DicomFile(ds).Save(fs, DicomTransferSyntax.ExplicitVRLittleEndian);
                }
                k++;
                done.Advance();
            }
        });
    }

    /// <summary>The instances of the series, one per slice from the lowest z, built lazily.</summary>
    /// <exception cref="ArgumentException">The volume is not in HU, or an option or UID is invalid.</exception>
    public IEnumerable<DicomDataset> ToDatasets(CtVolume volume, ScanMetadata metadata, CtSeriesOptions options)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(options);
        if (volume.Unit != VolumeUnit.Hounsfield)
        {
            throw new ArgumentException(
                $"A CT image series is written in HU but the volume holds {volume.Unit}; convert it with CtVolume.ToHounsfield(μ_water) first.",
                nameof(volume));
        }
        options.Validate();
        var completed = ScanUids.Complete(metadata);
        var seriesUid = options.SeriesInstanceUid ?? DicomUid.Generate();
        if (seriesUid == completed.SeriesInstanceUid)
        {
            throw new ArgumentException(
                $"The image series needs its own Series Instance UID; {seriesUid} is the raw series'.", nameof(options));
        }
        var template = BuildTemplate(volume.Grid, completed, seriesUid, options);
        return Slices(volume, template, options);
    }

    // Patient and General Study attributes the raw series may carry that the identity modules leave empty.
    private static readonly DicomTag[] CopiedPatientStudyTags =
    [
        DicomTags.PatientBirthDate, DicomTags.PatientSex, DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.AccessionNumber,
        DicomTags.ReferringPhysicianName, DicomTags.StudyID, DicomTags.PatientAge, DicomTags.PatientWeight, DicomTags.PatientSize,
        DicomTags.OtherPatientIDs,
    ];

    private static IEnumerable<DicomDataset> Slices(CtVolume volume, DicomDataset template, CtSeriesOptions options)
    {
        var grid = volume.Grid;
        for (int k = 0; k < grid.Nz; k++)
        {
            var ds = new DicomDataset(template);
            double z = grid.ZMm(k);
            ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUid.Generate());
            ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, k + 1);
            ds.AddOrUpdate(DicomTags.ImagePositionPatient, DicomVR.DS, grid.XMm(0), grid.YMm(0), z);
            ds.AddOrUpdate(DicomTags.SliceLocation, DicomVR.DS, z);
            if (options.SourceViews is { Count: > 0 } views)
            {
                // General Reference module: the raw views of the rotation centred on this slice, i.e. the data it was made from.
                var items = views.Where(v => Math.Abs(v.FocalZMm - z) <= options.SourceWindowMm / 2)
                    .Select(v => new DicomDataset()
                        .AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomVR.UI, v.SopClassUid)
                        .AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, v.SopInstanceUid))
                    .ToArray();
                if (items.Length > 0) ds.AddOrUpdate(DicomTags.SourceImageSequence, items);
            }

            var slice = volume.Slice(k);
            var bytes = new byte[slice.Length * sizeof(short)];
            var stored = MemoryMarshal.Cast<byte, short>(bytes.AsSpan());
            for (int i = 0; i < slice.Length; i++)
            {
                double hu = Math.Round(slice[i]);
                stored[i] = double.IsNaN(hu) ? (short)0 : (short)Math.Clamp(hu, short.MinValue, short.MaxValue);
            }
            ds.AddOrUpdate(new DicomElement(DicomTags.PixelData, DicomVR.OW, bytes));
            yield return ds;
        }
    }

    private DicomDataset BuildTemplate(VolumeGrid grid, ScanMetadata metadata, string seriesUid, CtSeriesOptions options)
    {
        var ds = new DicomDataset();
        IdentityModules.Add(ds, metadata, seriesUid, options.SeriesNumber, options.SeriesDescription, Manufacturer, DateTime.Now);
        if (options.PatientStudySource is { } source)
        {
            foreach (var tag in CopiedPatientStudyTags)
            {
                if (source.GetItem(tag) is DicomElement element && element.Tag == tag) ds.AddOrUpdate(element);
            }
        }
        // DERIVED (computed from the projection data) but PRIMARY: these are the diagnostic images of the acquisition.
        ds.AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "DERIVED", "PRIMARY", "AXIAL");
        if (options.ReconstructionMethod.Length > 0)
        {
            ds.AddOrUpdate(DicomTags.DerivationDescription, DicomVR.ST, options.ReconstructionMethod);
        }
        ds.AddOrUpdate(DicomTags.SliceThickness, DicomVR.DS, options.SliceThicknessMm ?? grid.SliceSpacingMm);
        ds.AddOrUpdate(DicomTags.SpacingBetweenSlices, DicomVR.DS, grid.SliceSpacingMm);
        ds.AddOrUpdate(DicomTags.ReconstructionDiameter, DicomVR.DS, grid.Nx * grid.PixelSpacingMm);
        ds.AddOrUpdate(DicomTags.ConvolutionKernel, DicomVR.SH, options.ConvolutionKernel);
        // Rows run along +x (patient left), columns along +y (posterior).
        ds.AddOrUpdate(DicomTags.PatientOrientation, DicomVR.CS, "L", "P");
        ds.AddOrUpdate(DicomTags.ImageOrientationPatient, DicomVR.DS, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0);
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)grid.Ny);
        ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)grid.Nx);
        ds.AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, grid.PixelSpacingMm, grid.PixelSpacingMm);
        ds.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)16);
        ds.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)16);
        ds.AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)15);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)1);
        if (options.LungWindow)
        {
            var lung = CtSeriesOptions.LungPreset;
            ds.AddOrUpdate(DicomTags.WindowCenter, DicomVR.DS, options.WindowCenterHu, lung.CenterHu);
            ds.AddOrUpdate(DicomTags.WindowWidth, DicomVR.DS, options.WindowWidthHu, lung.WidthHu);
            ds.AddOrUpdate(DicomTags.WindowCenterWidthExplanation, DicomVR.LO, "MEDIASTINUM", "LUNG");
        }
        else
        {
            ds.AddOrUpdate(DicomTags.WindowCenter, DicomVR.DS, options.WindowCenterHu);
            ds.AddOrUpdate(DicomTags.WindowWidth, DicomVR.DS, options.WindowWidthHu);
        }
        ds.AddOrUpdate(DicomTags.RescaleIntercept, DicomVR.DS, 0.0);
        ds.AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, 1.0);
        ds.AddOrUpdate(DicomTags.RescaleType, DicomVR.LO, "HU");
        return ds;
    }
}
