using System.Globalization;
using System.Runtime.InteropServices;
using FedNano.Dicom;
using FedNano.Reconstruction.Scans;

namespace FedNano.Reconstruction.DicomIo;

/// <summary>
/// Writes a <see cref="ProjectionScan"/> as a DICOM-CT-PD series (Chen et al., Med. Phys. 2015): one instance per
/// projection view, InstanceNumber = view + 1, files <c>view_000001.dcm</c> …
/// </summary>
/// <remarks>
/// <para><b>SOP class.</b> CT Image Storage (1.2.840.10008.5.1.4.1.1.2), Modality CT, ImageType
/// ORIGINAL\PRIMARY\AXIAL. DICOM-CT-PD was designed as ordinary DICOM images, one per view, that archives store and
/// existing viewers display (Chen et al. 2015); CT Image Storage is the image SOP class that fits, whereas Raw Data
/// Storage has no Image Pixel module to carry the line integrals. RescaleType
/// (0028,1054) is "US" (unspecified) because the values are line integrals, not HU. A projection has no patient-space
/// pixel grid, so no Image Plane module is invented: strict CT Image IOD validation of a raw view reports it missing.
/// Use <see cref="DicomCtPdReader.IsProjectionInstance"/> to tell raw views from reconstructed images.</para>
/// <para><b>Pixel data.</b> Unsigned 16-bit line integrals P = stored·RescaleSlope + RescaleIntercept, one
/// <see cref="LineIntegralScaling"/> per series chosen from the scan's minimum and maximum so the maximum uses the
/// whole 16-bit range; every value is recovered to within <see cref="LineIntegralScaling.MaxAbsoluteError"/> =
/// RescaleSlope/2 (plus float32 rounding). Layout per <see cref="DicomCtPdWriteOptions.PixelLayout"/>, by default
/// Rows (0028,0010) = detector channels and Columns (0028,0011) = detector rows, as in the public files.</para>
/// <para><b>Private tags.</b> Every DICOM-CT-PD element of the reference table, each in the block of its module's
/// private creator at (gggg,0010): detector arrangement (7029), detector dynamics (7031: the view's angle φ₀ wrapped
/// to [0, 2π) like real data, its z₀, ρ₀ = R, D, central element), source dynamics (7033: no flying focal spot,
/// views per rotation, one spectrum, PhotonStatistics when the scan has photon counts), HELICAL FANBEAM (7037; AXIAL
/// for a pitch-0 scan at one table position), preprocessing flags (7039: LogFlag YES; gain, dark-field, flat-field
/// and bad-pixel YES because the data are ideal detector readings; beam hardening and scatter NO, as nothing
/// corrected them) and WaterAttenuationCoefficient (7041, 1/mm). The active-row pattern has no DICOM-CT-PD
/// attribute: it is stored as <see cref="SparseRowPattern.ToString"/> text in a private block of creator
/// "FEDNANO SPARSE DETECTOR 1.0" in group 7051 (element xx01, LO), with the exact μ_water (xx02, FD).</para>
/// <para><b>Public acquisition attributes.</b> KVP, XRayTubeCurrent / XRayTubeCurrentInmA, ExposureTime /
/// ExposureTimeInms, SpiralPitchFactor, TableFeedPerRotation, Single/TotalCollimationWidth (at isocenter) and
/// DataCollectionDiameter (the fully sampled field of view).</para>
/// <para>Missing study/series/frame-of-reference UIDs are generated once per call (see <see cref="ScanUids.Complete"/>
/// to choose them beforehand).</para>
/// </remarks>
public sealed class DicomCtPdWriter
{
    private const int RawSeriesNumber = 1;

    /// <summary>Creates a writer.</summary>
    public DicomCtPdWriter(DicomCtPdWriteOptions? options = null)
    {
        Options = options ?? DicomCtPdWriteOptions.Default;
        if (!Enum.IsDefined(Options.PixelLayout))
        {
            throw new ArgumentException($"Unknown pixel layout {Options.PixelLayout}.", nameof(options));
        }
    }

    /// <summary>Encoding choices.</summary>
    public DicomCtPdWriteOptions Options { get; }

    /// <summary>The file name of 0-based <paramref name="view"/>: <c>view_000001.dcm</c> for view 0.</summary>
    public static string FileName(int view) =>
        string.Create(CultureInfo.InvariantCulture, $"view_{view + 1:D6}.dcm");

    /// <summary>
    /// Writes one file per view into <paramref name="directory"/>, which must not exist or be empty. Files are
    /// written into a temporary sibling directory that is renamed into place at the end, so a failed or cancelled
    /// write leaves nothing behind.
    /// </summary>
    /// <param name="scan">The scan.</param>
    /// <param name="directory">Target directory.</param>
    /// <param name="progress">Receives the number of views written so far (1 … Views).</param>
    /// <param name="ct">Cancels the write (nothing is left behind).</param>
    /// <exception cref="ArgumentException">The scan cannot be encoded (a line integral is not finite, the detector is larger than DICOM allows).</exception>
    /// <exception cref="IOException">The directory exists and is not empty, or writing failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public void Write(ProjectionScan scan, string directory, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scan);
        var syntax = Options.TransferSyntax ?? DicomTransferSyntax.ExplicitVRLittleEndian;
        // Each view is saved before the next is built, so one pixel buffer serves them all.
        var datasets = ToDatasets(scan, reusePixelBuffer: true);
        AtomicDirectory.Write(directory, temp =>
        {
            var done = new ItemProgress(progress);
            int view = 0;
            foreach (var ds in datasets)
            {
                ct.ThrowIfCancellationRequested();
                var path = Path.Combine(temp, FileName(view));
                using (var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    new DicomFile(ds).Save(fs, syntax);
                }
                view++;
                done.Advance();
            }
            ct.ThrowIfCancellationRequested();
        });
    }

    /// <summary>
    /// The instances of the series, one per view in view order, built lazily (one view's pixel data at a time) so
    /// that a caller can stream them, e.g. over STOW-RS. Study/series/frame-of-reference UIDs missing from the
    /// metadata are generated once, when this method is called, and shared by every instance it yields.
    /// </summary>
    /// <exception cref="ArgumentException">The scan cannot be encoded (see <see cref="Write"/>).</exception>
    public IEnumerable<DicomDataset> ToDatasets(ProjectionScan scan) => ToDatasets(scan, reusePixelBuffer: false);

    private IEnumerable<DicomDataset> ToDatasets(ProjectionScan scan, bool reusePixelBuffer)
    {
        ArgumentNullException.ThrowIfNull(scan);
        var g = scan.Geometry;
        if (g.Channels > ushort.MaxValue || g.Rows > ushort.MaxValue)
        {
            throw new ArgumentException(
                $"A detector of {g.Channels} channels x {g.Rows} rows does not fit DICOM's 16-bit image size.", nameof(scan));
        }
        if (g.ViewsPerRotation > ushort.MaxValue)
        {
            throw new ArgumentException($"{g.ViewsPerRotation} views per rotation do not fit NumberofSourceAngularSteps (US).", nameof(scan));
        }
        if (scan.Views > 999_999)
        {
            throw new ArgumentException($"{scan.Views} views exceed the 6-digit file numbering.", nameof(scan));
        }
        var metadata = ScanUids.Complete(scan.Metadata);
        var scaling = LineIntegralScaling.For(scan.LineIntegrals);
        var template = BuildTemplate(scan, metadata, scaling);
        return Views(scan, template, scaling, reusePixelBuffer);
    }

    private IEnumerable<DicomDataset> Views(ProjectionScan scan, DicomDataset template, LineIntegralScaling scaling, bool reusePixelBuffer)
    {
        var angleTag = CtPdPrivateTag.DetectorFocalCenterAngularPosition.Reserve(template);
        var zTag = CtPdPrivateTag.DetectorFocalCenterAxialPosition.Reserve(template);
        int channels = scan.Geometry.Channels;
        int rows = scan.Geometry.Rows;
        bool channelsAsImageRows = Options.PixelLayout == ProjectionPixelLayout.ChannelsAsImageRows;
        byte[]? shared = null;
        for (int view = 0; view < scan.Views; view++)
        {
            // Header elements are immutable, so every view shares the template's instances; only these differ.
            var ds = new DicomDataset(template);
            ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUid.Generate());
            ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, view + 1);
            ds.AddOrUpdate(DicomTags.ImagesInAcquisition, DicomVR.IS, scan.Views); // lets a receiver tell when the series is complete
            ds.AddOrUpdate(angleTag, DicomVR.FL, (float)WrapAngle(scan.ViewAngleRad[view]));
            ds.AddOrUpdate(zTag, DicomVR.FL, (float)scan.ViewZMm[view]);

            var bytes = reusePixelBuffer
                ? shared ??= new byte[channels * rows * sizeof(ushort)]
                : new byte[channels * rows * sizeof(ushort)];
            var stored = MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan());
            ReadOnlySpan<float> p = scan.View(view);
            for (int r = 0; r < rows; r++)
            {
                var line = p.Slice(r * channels, channels);
                if (channelsAsImageRows)
                {
                    scaling.Quantize(line, stored, r, rows);
                }
                else
                {
                    scaling.Quantize(line, stored, r * channels, 1);
                }
            }
            ds.AddOrUpdate(new DicomElement(DicomTags.PixelData, DicomVR.OW, bytes));
            yield return ds;
        }
    }

    private DicomDataset BuildTemplate(ProjectionScan scan, ScanMetadata metadata, LineIntegralScaling scaling)
    {
        var g = scan.Geometry;
        var ds = new DicomDataset();
        IdentityModules.Add(ds, metadata, metadata.SeriesInstanceUid!, RawSeriesNumber, metadata.SeriesDescription,
            Options.Manufacturer, DateTime.Now);
        ds.AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.AddOrUpdate(DicomTags.DataCollectionDiameter, DicomVR.DS, g.FieldOfViewDiameterMm);
        ds.AddOrUpdate(DicomTags.SingleCollimationWidth, DicomVR.FD, g.CollimationAtIsocenterMm / g.Rows);
        ds.AddOrUpdate(DicomTags.TotalCollimationWidth, DicomVR.FD, g.CollimationAtIsocenterMm);
        ds.AddOrUpdate(DicomTags.TableFeedPerRotation, DicomVR.FD, g.TableFeedPerRotationMm);
        ds.AddOrUpdate(DicomTags.SpiralPitchFactor, DicomVR.FD, g.PitchFactor);

        bool channelsAsImageRows = Options.PixelLayout == ProjectionPixelLayout.ChannelsAsImageRows;
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)(channelsAsImageRows ? g.Channels : g.Rows));
        ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)(channelsAsImageRows ? g.Rows : g.Channels));
        ds.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)16);
        ds.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)16);
        ds.AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)15);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)0);
        ds.AddOrUpdate(DicomTags.RescaleIntercept, DicomVR.DS, scaling.InterceptText);
        ds.AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, scaling.SlopeText);
        ds.AddOrUpdate(DicomTags.RescaleType, DicomVR.LO, "US");

        Put(ds, CtPdPrivateTag.DetectorElementTransverseSpacing, (float)g.ChannelSpacingMm);
        Put(ds, CtPdPrivateTag.DetectorElementAxialSpacing, (float)g.RowSpacingMm);
        Put(ds, CtPdPrivateTag.DetectorShape, g.DetectorShape == DetectorShape.Curved ? "CYLINDRICAL" : "FLAT");
        Put(ds, CtPdPrivateTag.NumberOfDetectorRows, (ushort)g.Rows);
        Put(ds, CtPdPrivateTag.NumberOfDetectorColumns, (ushort)g.Channels);

        // Reserve the angle/z elements here so every view's private block layout is identical.
        CtPdPrivateTag.DetectorFocalCenterAngularPosition.Reserve(ds);
        CtPdPrivateTag.DetectorFocalCenterAxialPosition.Reserve(ds);
        Put(ds, CtPdPrivateTag.DetectorFocalCenterRadialDistance, (float)g.SourceToIsocenterMm);
        Put(ds, CtPdPrivateTag.ConstantRadialDistance, (float)g.SourceToDetectorMm);
        Put(ds, CtPdPrivateTag.DetectorCentralElement, (float)g.CentralChannel, (float)g.CentralRow);

        Put(ds, CtPdPrivateTag.SourceAngularPositionShift, 0f);
        Put(ds, CtPdPrivateTag.SourceAxialPositionShift, 0f);
        Put(ds, CtPdPrivateTag.SourceRadialDistanceShift, 0f);
        Put(ds, CtPdPrivateTag.FlyingFocalSpotMode, "FFSNONE");
        Put(ds, CtPdPrivateTag.NumberOfSourceAngularSteps, (ushort)g.ViewsPerRotation);
        Put(ds, CtPdPrivateTag.NumberOfSpectra, (ushort)1);
        Put(ds, CtPdPrivateTag.SpectrumIndex, (ushort)1);
        if (scan.PhotonsPerChannel is { } photons)
        {
            Put(ds, CtPdPrivateTag.PhotonStatistics, photons);
        }

        Put(ds, CtPdPrivateTag.TypeOfProjectionData, IsAxial(scan) ? "AXIAL" : "HELICAL");
        Put(ds, CtPdPrivateTag.TypeOfProjectionGeometry, "FANBEAM");

        Put(ds, CtPdPrivateTag.BeamHardeningCorrectionFlag, "NO");
        Put(ds, CtPdPrivateTag.GainCorrectionFlag, "YES");
        Put(ds, CtPdPrivateTag.DarkFieldCorrectionFlag, "YES");
        Put(ds, CtPdPrivateTag.FlatFieldCorrectionFlag, "YES");
        Put(ds, CtPdPrivateTag.BadPixelCorrectionFlag, "YES");
        Put(ds, CtPdPrivateTag.ScatterCorrectionFlag, "NO");
        Put(ds, CtPdPrivateTag.LogFlag, "YES");

        ds.AddOrUpdate(CtPdPrivateTag.WaterAttenuationCoefficient.Reserve(ds), DicomVR.DS, scan.MuWaterPerMm);

        Put(ds, CtPdPrivateTag.SparseRowPattern, scan.RowPattern.ToString());
        ds.AddOrUpdate(CtPdPrivateTag.SeriesMuWaterPerMm.Reserve(ds), DicomVR.FD, scan.MuWaterPerMm);
        return ds;
    }

    /// <summary>A pitch-0 scan whose views all share one table position is an axial acquisition.</summary>
    private static bool IsAxial(ProjectionScan scan)
    {
        if (scan.Geometry.PitchFactor != 0)
        {
            return false;
        }
        double z0 = scan.ViewZMm[0];
        return scan.ViewZMm.All(z => z == z0);
    }

    private static double WrapAngle(double angleRad)
    {
        double w = angleRad - 2.0 * Math.PI * Math.Floor(angleRad / (2.0 * Math.PI));
        return w >= 2.0 * Math.PI ? 0.0 : w;
    }

    private static void Put(DicomDataset ds, CtPdPrivateTag tag, params float[] values) => ds.AddOrUpdate(tag.Reserve(ds), tag.VR, values);

    private static void Put(DicomDataset ds, CtPdPrivateTag tag, ushort value) => ds.AddOrUpdate(tag.Reserve(ds), tag.VR, value);

    private static void Put(DicomDataset ds, CtPdPrivateTag tag, string value) => ds.AddOrUpdate(tag.Reserve(ds), tag.VR, value);
}
