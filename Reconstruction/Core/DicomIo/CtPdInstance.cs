using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using FedNano.Dicom;

namespace FedNano.Reconstruction.DicomIo;

/// <summary>
/// The header of one DICOM-CT-PD instance, parsed and checked on its own (series-level checks are the reader's).
/// The pixel data stay where they are (a file-backed value is read only by <see cref="ReadLineIntegrals"/>).
/// </summary>
internal sealed class CtPdInstance
{
    private CtPdInstance(DicomDataset dataset, DicomTransferSyntax syntax, string? filePath, int inputIndex)
    {
        Dataset = dataset;
        Syntax = syntax;
        FilePath = filePath;
        InputIndex = inputIndex;
    }

    public DicomDataset Dataset { get; }

    public DicomTransferSyntax Syntax { get; }

    public string? FilePath { get; }

    public int InputIndex { get; }

    public int InstanceNumber { get; private set; }

    /// <summary>φ₀ as stored (may be wrapped to [0, 2π)).</summary>
    public float AngleRad { get; private set; }

    public float ZMm { get; private set; }

    public bool IsAxial { get; private set; }

    public DetectorShape Shape { get; private set; }

    public int DetectorRows { get; private set; }

    public int Channels { get; private set; }

    public float ChannelSpacingMm { get; private set; }

    public float RowSpacingMm { get; private set; }

    public float SourceToIsocenterMm { get; private set; }

    public float SourceToDetectorMm { get; private set; }

    public float CentralChannel { get; private set; }

    public float CentralRow { get; private set; }

    public int ViewsPerRotation { get; private set; }

    public ProjectionPixelLayout Layout { get; private set; }

    public double RescaleSlope { get; private set; }

    public double RescaleIntercept { get; private set; }

    /// <summary>
    /// The values that must agree across the series, by name, formatted exactly (float round-trip text), so that a
    /// mismatch can be named.
    /// </summary>
    public IReadOnlyList<(string Name, string Value)> SeriesInvariants { get; private set; } = [];

    /// <summary>Parses and checks one instance.</summary>
    /// <exception cref="ProjectionDataException">A required tag is missing or a value is unusable.</exception>
    public static CtPdInstance Parse(DicomDataset dataset, DicomTransferSyntax syntax, string? filePath, int inputIndex)
    {
        var instance = new CtPdInstance(dataset, syntax, filePath, inputIndex);
        instance.ParseHeader();
        return instance;
    }

    /// <summary>A <see cref="ProjectionDataException"/> located at this instance.</summary>
    public ProjectionDataException Reject(string reason, Exception? inner = null) =>
        new(reason, FilePath, InstanceNumber == 0 ? null : InstanceNumber, InputIndex, inner);

    private void ParseHeader()
    {
        var ds = Dataset;
        InstanceNumber = (int)RequiredPublicInteger(DicomTags.InstanceNumber, "InstanceNumber");

        var type = RequiredText(CtPdPrivateTag.TypeOfProjectionData).ToUpperInvariant();
        if (type == "AXIAL")
        {
            IsAxial = true;
        }
        else if (type != "HELICAL")
        {
            throw Reject($"TypeofProjectionData is '{type}': only HELICAL data (and AXIAL data at a single table position) can be read");
        }
        if (OptionalText(CtPdPrivateTag.TypeOfProjectionGeometry) is { } geometry && !geometry.Equals("FANBEAM", StringComparison.OrdinalIgnoreCase))
        {
            throw Reject($"TypeofProjectionGeometry is '{geometry}': only FANBEAM projections can be read");
        }
        if (OptionalText(CtPdPrivateTag.LogFlag) is { } log && !log.Equals("YES", StringComparison.OrdinalIgnoreCase))
        {
            throw Reject($"LogFlag is '{log}': the pixel data are not line integrals (the log has not been taken); only log-converted data can be read");
        }
        if (OptionalText(CtPdPrivateTag.FlyingFocalSpotMode) is { } ffs && !ffs.Equals("FFSNONE", StringComparison.OrdinalIgnoreCase))
        {
            throw Reject($"FlyingFocalSpotMode is '{ffs}': flying focal spot data (source positions off the detector's helix) are not supported, only FFSNONE");
        }
        foreach (var shift in new[] { CtPdPrivateTag.SourceAngularPositionShift, CtPdPrivateTag.SourceAxialPositionShift, CtPdPrivateTag.SourceRadialDistanceShift })
        {
            if (OptionalFloats(shift) is { Length: > 0 } s && s[0] != 0)
            {
                throw Reject(string.Create(CultureInfo.InvariantCulture,
                    $"{shift.Keyword} is {s[0]}: flying focal spot offsets are not supported"));
            }
        }

        var shape = RequiredText(CtPdPrivateTag.DetectorShape).ToUpperInvariant();
        Shape = shape switch
        {
            "CYLINDRICAL" => DetectorShape.Curved,
            "FLAT" => DetectorShape.Flat,
            _ => throw Reject($"DetectorShape is '{shape}': only CYLINDRICAL and FLAT detectors are supported"),
        };
        DetectorRows = (int)RequiredInteger(CtPdPrivateTag.NumberOfDetectorRows, 1);
        Channels = (int)RequiredInteger(CtPdPrivateTag.NumberOfDetectorColumns, 1);
        ChannelSpacingMm = RequiredFloat(CtPdPrivateTag.DetectorElementTransverseSpacing);
        RowSpacingMm = RequiredFloat(CtPdPrivateTag.DetectorElementAxialSpacing);
        AngleRad = RequiredFloat(CtPdPrivateTag.DetectorFocalCenterAngularPosition);
        ZMm = RequiredFloat(CtPdPrivateTag.DetectorFocalCenterAxialPosition);
        SourceToIsocenterMm = RequiredFloat(CtPdPrivateTag.DetectorFocalCenterRadialDistance);
        SourceToDetectorMm = RequiredFloat(CtPdPrivateTag.ConstantRadialDistance);
        var central = RequiredFloats(CtPdPrivateTag.DetectorCentralElement);
        if (central.Length < 2)
        {
            throw Reject($"{CtPdPrivateTag.DetectorCentralElement} needs 2 values (column, row), has {central.Length}");
        }
        CentralChannel = (float)central[0];
        CentralRow = (float)central[1];
        ViewsPerRotation = (int)RequiredInteger(CtPdPrivateTag.NumberOfSourceAngularSteps, 2);

        ParsePixelModule();

        SeriesInvariants =
        [
            ("SeriesInstanceUID", ds.GetString(DicomTags.SeriesInstanceUID) ?? ""),
            ("TypeofProjectionData", type),
            ("DetectorShape", shape),
            ("NumberofDetectorRows", Text(DetectorRows)),
            ("NumberofDetectorColumns", Text(Channels)),
            ("DetectorElementTransverseSpacing", Text(ChannelSpacingMm)),
            ("DetectorElementAxialSpacing", Text(RowSpacingMm)),
            ("DetectorFocalCenterRadialDistance", Text(SourceToIsocenterMm)),
            ("ConstantRadialDistance", Text(SourceToDetectorMm)),
            ("DetectorCentralElement", Text(CentralChannel) + "\\" + Text(CentralRow)),
            ("NumberofSourceAngularSteps", Text(ViewsPerRotation)),
            ("pixel layout", Layout.ToString()),
        ];
    }

    private void ParsePixelModule()
    {
        var ds = Dataset;
        long imageRows = RequiredPublicInteger(DicomTags.Rows, "Rows");
        long imageColumns = RequiredPublicInteger(DicomTags.Columns, "Columns");
        RequiredPublicInteger(DicomTags.BitsAllocated, "BitsAllocated");
        if (!ds.Contains(DicomTags.PixelData))
        {
            throw Reject("missing required tag PixelData (7FE0,0010)");
        }
        if (ds.TryGetValue<long>(DicomTags.SamplesPerPixel, out var samples) && samples != 1)
        {
            throw Reject(string.Create(CultureInfo.InvariantCulture, $"SamplesPerPixel is {samples}: a projection view has one sample per detector element"));
        }
        if (ds.TryGetValue<long>(DicomTags.NumberOfFrames, out var frames) && frames != 1)
        {
            throw Reject(string.Create(CultureInfo.InvariantCulture, $"NumberOfFrames is {frames}: DICOM-CT-PD stores one view per single-frame instance"));
        }
        // Decide the layout from the declared detector; a square detector is read as the public files are.
        if (imageRows == Channels && imageColumns == DetectorRows)
        {
            Layout = ProjectionPixelLayout.ChannelsAsImageRows;
        }
        else if (imageRows == DetectorRows && imageColumns == Channels)
        {
            Layout = ProjectionPixelLayout.DetectorRowsAsImageRows;
        }
        else
        {
            throw Reject(string.Create(CultureInfo.InvariantCulture,
                $"pixel size Rows {imageRows} x Columns {imageColumns} does not match the declared detector of {Channels} channels (NumberofDetectorColumns) x {DetectorRows} rows (NumberofDetectorRows)"));
        }
        RescaleSlope = PublicDouble(DicomTags.RescaleSlope, "RescaleSlope") ?? 1.0;
        RescaleIntercept = PublicDouble(DicomTags.RescaleIntercept, "RescaleIntercept") ?? 0.0;
        if (RescaleSlope == 0)
        {
            throw Reject("RescaleSlope is 0");
        }
    }

    /// <summary>
    /// Decodes the pixel data into <paramref name="destination"/> (row-major detector rows × channels), applying
    /// RescaleSlope/Intercept and undoing the layout.
    /// </summary>
    public void ReadLineIntegrals(Span<float> destination)
    {
        int channels = Channels, rows = DetectorRows;
        double slope = RescaleSlope, intercept = RescaleIntercept;
        bool channelsAsImageRows = Layout == ProjectionPixelLayout.ChannelsAsImageRows;
        try
        {
            var pixels = DicomPixelData.Create(Dataset, Syntax);
            if (pixels.SamplesPerFrame != (long)channels * rows)
            {
                throw Reject(string.Create(CultureInfo.InvariantCulture,
                    $"pixel data hold {pixels.SamplesPerFrame} values, the declared detector {channels} x {rows}"));
            }
            if (pixels is { BitsAllocated: 16, BitsStored: 16, PixelRepresentation: 0 })
            {
                // The DICOM-CT-PD case: plain uint16, read in place without the generic per-value conversion.
                Restore(MemoryMarshal.Cast<byte, ushort>(pixels.GetFrameBytes(0).Span), destination);
            }
            else
            {
                Restore<double>(pixels.GetFrame<double>(0), destination);
            }
        }
        catch (Exception e) when (e is DicomDataException or IOException or InvalidOperationException)
        {
            throw Reject($"pixel data cannot be decoded: {e.Message}", e);
        }

        void Restore<T>(ReadOnlySpan<T> stored, Span<float> target) where T : unmanaged, INumber<T>
        {
            for (int r = 0; r < rows; r++)
            {
                var line = target.Slice(r * channels, channels);
                int k = channelsAsImageRows ? r : r * channels, step = channelsAsImageRows ? rows : 1;
                for (int c = 0; c < channels; c++, k += step)
                {
                    line[c] = (float)(double.CreateTruncating(stored[k]) * slope + intercept);
                }
            }
        }
    }

    // ------------------------------------------------------------------ value access

    public string? OptionalText(CtPdPrivateTag tag)
    {
        if (Element(tag) is not { } e)
        {
            return null;
        }
        var text = e.VR is DicomVR.UN or DicomVR.OB
            ? Encoding.ASCII.GetString(e.Value.GetMemory().Span)
            : Dataset.DecodeText(e);
        text = text.Trim(' ', '\0');
        return text.Length == 0 ? null : text;
    }

    public double[]? OptionalFloats(CtPdPrivateTag tag)
    {
        if (Element(tag) is not { } e)
        {
            return null;
        }
        try
        {
            if (e.VR is DicomVR.UN or DicomVR.OB)
            {
                // Implicit VR without a known creator: the bytes are the dictionary's FL (or FD when twice as long).
                var bytes = e.Value.GetMemory().Span;
                return tag.VR == DicomVR.FD
                    ? MemoryMarshal.Cast<byte, double>(bytes[..(bytes.Length / 8 * 8)]).ToArray()
                    : Array.ConvertAll(MemoryMarshal.Cast<byte, float>(bytes[..(bytes.Length / 4 * 4)]).ToArray(), v => (double)v);
            }
            return Dataset.GetValues<double>(e.Tag);
        }
        catch (DicomDataException ex)
        {
            throw Reject($"{tag} has an unreadable value: {ex.Message}", ex);
        }
    }

    private DicomElement? Element(CtPdPrivateTag tag) =>
        tag.Find(Dataset) is { } t && Dataset.GetItem(t) is DicomElement e && e.Length > 0 ? e : null;

    private string RequiredText(CtPdPrivateTag tag) => OptionalText(tag) ?? throw Missing(tag);

    private double[] RequiredFloats(CtPdPrivateTag tag) => OptionalFloats(tag) is { Length: > 0 } v ? v : throw Missing(tag);

    private float RequiredFloat(CtPdPrivateTag tag)
    {
        double v = RequiredFloats(tag)[0];
        if (!double.IsFinite(v))
        {
            throw Reject(string.Create(CultureInfo.InvariantCulture, $"{tag} is {v}"));
        }
        return (float)v;
    }

    private long RequiredInteger(CtPdPrivateTag tag, long minimum)
    {
        if (Element(tag) is not { } e)
        {
            throw Missing(tag);
        }
        long value;
        if (e.VR is DicomVR.UN or DicomVR.OB)
        {
            var bytes = e.Value.GetMemory().Span;
            value = bytes.Length >= 4 ? MemoryMarshal.Read<uint>(bytes) : bytes.Length >= 2 ? MemoryMarshal.Read<ushort>(bytes) : bytes[0];
        }
        else
        {
            double v = OptionalFloats(tag)![0];
            if (v != Math.Floor(v))
            {
                throw Reject(string.Create(CultureInfo.InvariantCulture, $"{tag} is {v}, not a whole number"));
            }
            value = (long)v;
        }
        if (value < minimum || value > ushort.MaxValue)
        {
            throw Reject(string.Create(CultureInfo.InvariantCulture, $"{tag} is {value}, outside {minimum}..{ushort.MaxValue}"));
        }
        return value;
    }

    private long RequiredPublicInteger(DicomTag tag, string keyword)
    {
        if (!Dataset.TryGetValue<double>(tag, out var v))
        {
            throw Reject($"missing required tag {keyword} {tag}");
        }
        if (v != Math.Floor(v) || v < int.MinValue || v > int.MaxValue)
        {
            throw Reject(string.Create(CultureInfo.InvariantCulture, $"{keyword} {tag} is {v}, not an integer"));
        }
        return (long)v;
    }

    private double? PublicDouble(DicomTag tag, string keyword)
    {
        if (!Dataset.Contains(tag) || string.IsNullOrWhiteSpace(Dataset.GetString(tag)))
        {
            return null;
        }
        return Dataset.TryGetValue<double>(tag, out var v) && double.IsFinite(v)
            ? v
            : throw Reject($"{keyword} {tag} '{Dataset.GetString(tag)}' is not a number");
    }

    private ProjectionDataException Missing(CtPdPrivateTag tag) => Reject($"missing required tag {tag}");

    private static string Text(float v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Text(int v) => v.ToString(CultureInfo.InvariantCulture);
}
