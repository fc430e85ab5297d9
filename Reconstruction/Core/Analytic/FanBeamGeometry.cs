namespace FedNano.Reconstruction.Analytic;

/// <summary>
/// Geometry of a 2D fan-beam sinogram for one slice: equally spaced source angles starting at
/// <see cref="StartAngleRad"/>, each <see cref="AngleStepRad"/> apart, and a 1D detector (curved = equiangular,
/// or flat). Conventions follow the helical data: source at (−R·sin β, R·cos β); channel γ &gt; 0 lies
/// counter-clockwise of the central ray; <see cref="CentralChannel"/> is 1-based.
/// </summary>
/// <param name="SourceToIsocenterMm">R (mm).</param>
/// <param name="SourceToDetectorMm">D (mm).</param>
/// <param name="Shape">Curved (equiangular) or flat detector.</param>
/// <param name="Channels">Detector channels.</param>
/// <param name="ChannelSpacingMm">Channel pitch at the detector (mm; arc length when curved).</param>
/// <param name="CentralChannel">1-based channel coordinate of the central ray.</param>
/// <param name="Views">Number of views.</param>
/// <param name="StartAngleRad">Source angle of view 0 (rad).</param>
/// <param name="AngleStepRad">Angle between consecutive views (rad), 2π/views-per-rotation.</param>
public sealed record FanBeamGeometry(
    double SourceToIsocenterMm,
    double SourceToDetectorMm,
    DetectorShape Shape,
    int Channels,
    double ChannelSpacingMm,
    double CentralChannel,
    int Views,
    double StartAngleRad,
    double AngleStepRad)
{
    /// <summary>The fan-beam geometry of one full rotation of a helical scanner, starting at <paramref name="startAngleRad"/>.</summary>
    public static FanBeamGeometry FullRotation(HelicalGeometry g, double startAngleRad) =>
        FromHelical(g, g.ViewsPerRotation, startAngleRad);

    /// <summary>The fan-beam geometry of <paramref name="views"/> views of a helical scanner, starting at <paramref name="startAngleRad"/>.</summary>
    public static FanBeamGeometry FromHelical(HelicalGeometry g, int views, double startAngleRad)
    {
        ArgumentNullException.ThrowIfNull(g);
        return new FanBeamGeometry(g.SourceToIsocenterMm, g.SourceToDetectorMm, g.DetectorShape, g.Channels,
            g.ChannelSpacingMm, g.CentralChannel, views, startAngleRad, 2.0 * Math.PI / g.ViewsPerRotation);
    }

    /// <summary>Angular channel step (rad) of a curved detector: spacing / D.</summary>
    public double FanAngleIncrementRad => ChannelSpacingMm / SourceToDetectorMm;

    /// <summary>Total angular range covered by the views (rad).</summary>
    public double AngularRangeRad => Views * AngleStepRad;

    /// <summary>True when the views cover at least a full rotation.</summary>
    public bool IsFullScan => Views * AngleStepRad >= 2.0 * Math.PI - 1e-9;

    /// <summary>Source angle of a view (rad).</summary>
    public double ViewAngleRad(int view) => StartAngleRad + view * AngleStepRad;

    /// <summary>Fan angle γ (rad) of a 0-based channel.</summary>
    public double ChannelAngleRad(double channel) => Shape == DetectorShape.Curved
        ? (channel + 1.0 - CentralChannel) * FanAngleIncrementRad
        : Math.Atan((channel + 1.0 - CentralChannel) * ChannelSpacingMm / SourceToDetectorMm);

    /// <summary>Largest |γ| of any channel (rad).</summary>
    public double MaxFanAngleRad => Math.Max(Math.Abs(ChannelAngleRad(0)), Math.Abs(ChannelAngleRad(Channels - 1)));

    /// <summary>Radius (mm) of the field of view every view sees, R·sin(max |γ| inside the detector).</summary>
    public double FieldOfViewRadiusMm => SourceToIsocenterMm * Math.Sin(Math.Min(Math.Abs(ChannelAngleRad(-0.5)), Math.Abs(ChannelAngleRad(Channels - 0.5))));

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (!(SourceToIsocenterMm > 0) || !(SourceToDetectorMm > SourceToIsocenterMm) || !double.IsFinite(SourceToDetectorMm))
        {
            throw new ArgumentException($"Fan-beam distances R={SourceToIsocenterMm} mm, D={SourceToDetectorMm} mm are invalid (need 0 < R < D).");
        }
        if (Channels < 2 || Views < 2)
        {
            throw new ArgumentException($"A fan-beam sinogram needs at least 2 channels and 2 views (got {Channels} x {Views}).");
        }
        if (!(ChannelSpacingMm > 0) || !(AngleStepRad > 0) || !double.IsFinite(AngleStepRad) || !double.IsFinite(StartAngleRad))
        {
            throw new ArgumentException("Channel spacing and angle step must be positive and finite.");
        }
    }
}
