namespace FedNano.Reconstruction;

/// <summary>Shape of the detector surface.</summary>
public enum DetectorShape
{
    /// <summary>Cylindrical detector centred on the focal spot: channels are equiangular.</summary>
    Curved,

    /// <summary>Flat detector: channels are equispaced on a plane.</summary>
    Flat,
}

/// <summary>
/// Immutable third-generation helical CT geometry (source on a helix, detector opposite).
/// Lengths are in millimetres and angles in radians, as the member names say.
/// </summary>
/// <remarks>
/// Index conventions: channel and row <em>indices</em> passed to <see cref="ChannelAngleRad"/> and
/// <see cref="RowOffsetMm"/> are 0-based, while <see cref="CentralChannel"/> and <see cref="CentralRow"/>
/// are 1-based element coordinates, exactly as DICOM-CT-PD stores DetectorCentralElement (7031,1033):
/// for the 64-row Siemens data the central row 32.5 is then the exact middle of rows 1..64.
/// The source angle increases with the view index; the source z increases with the view index by
/// <see cref="TableFeedPerRotationMm"/> per rotation.
/// </remarks>
public sealed class HelicalGeometry
{
    /// <summary>Creates and validates a geometry.</summary>
    /// <exception cref="ArgumentException">A value is non-finite, non-positive where it must be positive, or physically absurd.</exception>
    public HelicalGeometry(
        double sourceToIsocenterMm,
        double sourceToDetectorMm,
        DetectorShape detectorShape,
        int channels,
        double channelSpacingMm,
        int rows,
        double rowSpacingMm,
        double centralChannel,
        double centralRow,
        int viewsPerRotation,
        double pitchFactor,
        double startAngleRad = 0.0,
        double startZMm = 0.0)
    {
        RequirePositive(sourceToIsocenterMm, nameof(sourceToIsocenterMm));
        RequirePositive(sourceToDetectorMm, nameof(sourceToDetectorMm));
        if (sourceToDetectorMm <= sourceToIsocenterMm)
        {
            throw new ArgumentException(
                $"Source-to-detector distance ({sourceToDetectorMm} mm) must exceed source-to-isocenter distance ({sourceToIsocenterMm} mm).",
                nameof(sourceToDetectorMm));
        }
        if (!Enum.IsDefined(detectorShape))
        {
            throw new ArgumentException($"Unknown detector shape {detectorShape}.", nameof(detectorShape));
        }
        if (channels < 1)
        {
            throw new ArgumentException($"Channels must be at least 1 (got {channels}).", nameof(channels));
        }
        RequirePositive(channelSpacingMm, nameof(channelSpacingMm));
        if (rows < 1)
        {
            throw new ArgumentException($"Rows must be at least 1 (got {rows}).", nameof(rows));
        }
        RequirePositive(rowSpacingMm, nameof(rowSpacingMm));
        RequireFinite(centralChannel, nameof(centralChannel));
        if (centralChannel < 0 || centralChannel > channels + 1)
        {
            throw new ArgumentException(
                $"Central channel {centralChannel} (1-based) lies outside the detector's {channels} channels.", nameof(centralChannel));
        }
        RequireFinite(centralRow, nameof(centralRow));
        if (centralRow < 0 || centralRow > rows + 1)
        {
            throw new ArgumentException(
                $"Central row {centralRow} (1-based) lies outside the detector's {rows} rows.", nameof(centralRow));
        }
        if (viewsPerRotation < 2)
        {
            throw new ArgumentException($"Views per rotation must be at least 2 (got {viewsPerRotation}).", nameof(viewsPerRotation));
        }
        RequireFinite(pitchFactor, nameof(pitchFactor));
        if (pitchFactor < 0 || pitchFactor > 3)
        {
            throw new ArgumentException(
                $"Pitch factor must lie in [0, 3] (0 = axial); got {pitchFactor}.", nameof(pitchFactor));
        }
        RequireFinite(startAngleRad, nameof(startAngleRad));
        RequireFinite(startZMm, nameof(startZMm));

        SourceToIsocenterMm = sourceToIsocenterMm;
        SourceToDetectorMm = sourceToDetectorMm;
        DetectorShape = detectorShape;
        Channels = channels;
        ChannelSpacingMm = channelSpacingMm;
        Rows = rows;
        RowSpacingMm = rowSpacingMm;
        CentralChannel = centralChannel;
        CentralRow = centralRow;
        ViewsPerRotation = viewsPerRotation;
        PitchFactor = pitchFactor;
        StartAngleRad = startAngleRad;
        StartZMm = startZMm;

        if (!(FanHalfAngleRad < Math.PI / 2 * 0.95))
        {
            throw new ArgumentException(
                $"Fan half-angle {FanHalfAngleRad:F3} rad is too wide (detector {channels} x {channelSpacingMm} mm at {sourceToDetectorMm} mm).",
                nameof(channels));
        }
    }

    /// <summary>Focal spot to rotation axis distance (mm).</summary>
    public double SourceToIsocenterMm { get; }

    /// <summary>Focal spot to detector distance (mm), measured through the isocenter.</summary>
    public double SourceToDetectorMm { get; }

    /// <summary>Curved (equiangular) or flat detector.</summary>
    public DetectorShape DetectorShape { get; }

    /// <summary>Number of detector channels (transaxial elements).</summary>
    public int Channels { get; }

    /// <summary>Channel pitch measured at the detector (mm; arc length for a curved detector).</summary>
    public double ChannelSpacingMm { get; }

    /// <summary>Number of detector rows (axial elements).</summary>
    public int Rows { get; }

    /// <summary>Row pitch measured at the detector (mm).</summary>
    public double RowSpacingMm { get; }

    /// <summary>1-based, possibly fractional channel coordinate hit by the ray through the isocenter.</summary>
    public double CentralChannel { get; }

    /// <summary>1-based, possibly fractional row coordinate hit by the ray through the isocenter.</summary>
    public double CentralRow { get; }

    /// <summary>Projection views acquired per 2π rotation.</summary>
    public int ViewsPerRotation { get; }

    /// <summary>Table feed per rotation divided by the collimation at isocenter (0 = axial scan).</summary>
    public double PitchFactor { get; }

    /// <summary>Source angle of view 0 (rad).</summary>
    public double StartAngleRad { get; }

    /// <summary>Source z of view 0 (mm).</summary>
    public double StartZMm { get; }

    /// <summary>
    /// Angular channel increment (rad): ChannelSpacing / SourceToDetector for a curved detector; for a flat
    /// detector the angle subtended by the central channel, 2·atan(spacing / (2·SourceToDetector)).
    /// </summary>
    public double FanAngleIncrementRad => DetectorShape == DetectorShape.Curved
        ? ChannelSpacingMm / SourceToDetectorMm
        : 2.0 * Math.Atan(ChannelSpacingMm / (2.0 * SourceToDetectorMm));

    /// <summary>
    /// Nominal fan half-angle (rad) of the whole detector, taken symmetric about the centre:
    /// Channels·Δγ/2 (curved) or atan(Channels·spacing/(2·SourceToDetector)) (flat).
    /// </summary>
    public double FanHalfAngleRad => DetectorShape == DetectorShape.Curved
        ? Channels * FanAngleIncrementRad / 2.0
        : Math.Atan(Channels * ChannelSpacingMm / (2.0 * SourceToDetectorMm));

    /// <summary>Diameter of the fully sampled field of view, 2·R·sin(fan half-angle) (mm).</summary>
    public double FieldOfViewDiameterMm => 2.0 * SourceToIsocenterMm * Math.Sin(FanHalfAngleRad);

    /// <summary>Total row extent projected to the isocenter, Rows·RowSpacing·R/D (mm).</summary>
    public double CollimationAtIsocenterMm => Rows * RowSpacingMm * SourceToIsocenterMm / SourceToDetectorMm;

    /// <summary>Table feed per rotation, PitchFactor × Rows × row spacing at isocenter (mm).</summary>
    public double TableFeedPerRotationMm => PitchFactor * CollimationAtIsocenterMm;

    /// <summary>Source angle (rad) of a (possibly fractional) view index; not wrapped to [0, 2π).</summary>
    public double SourceAngleRad(double view) => StartAngleRad + 2.0 * Math.PI * view / ViewsPerRotation;

    /// <summary>Source z (mm) of a (possibly fractional) view index.</summary>
    public double SourceZMm(double view) => StartZMm + TableFeedPerRotationMm * view / ViewsPerRotation;

    /// <summary>
    /// Fan angle γ (rad) of a 0-based, possibly fractional channel index, relative to the central ray;
    /// positive for channel indices above the central channel.
    /// </summary>
    public double ChannelAngleRad(double channel)
    {
        double offset = channel + 1.0 - CentralChannel;
        return DetectorShape == DetectorShape.Curved
            ? offset * FanAngleIncrementRad
            : Math.Atan(offset * ChannelSpacingMm / SourceToDetectorMm);
    }

    /// <summary>
    /// Axial offset (mm, measured at the detector) of a 0-based, possibly fractional row index from the
    /// central row; positive for row indices above the central row. Multiply by R/D for the isocenter.
    /// </summary>
    public double RowOffsetMm(double row) => (row + 1.0 - CentralRow) * RowSpacingMm;

    private static void RequireFinite(double value, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"{name} must be a finite number (got {value}).", name);
        }
    }

    private static void RequirePositive(double value, string name)
    {
        RequireFinite(value, name);
        if (value <= 0)
        {
            throw new ArgumentException($"{name} must be positive (got {value}).", name);
        }
    }
}
