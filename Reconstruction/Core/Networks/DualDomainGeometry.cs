using System.Globalization;
using FedNano.Reconstruction.Analytic;

namespace FedNano.Reconstruction.Networks;

/// <summary>
/// The scanner numbers a dual-domain network is tied to: enough to rebuild the fan-beam geometry of its fixed FBP
/// (one full rotation) and the helical geometry its projection-domain CNN was trained on.
/// </summary>
/// <remarks>
/// The network's sinograms cover one rotation, view k at source angle <see cref="StartAngleRad"/> + 2πk /
/// <see cref="ViewsPerRotation"/>. A single-slice-rebinned rotation starts at the angle of its first view; the data
/// pipeline rolls it by whole views (exact when the scan's angles lie on the 2π/N grid) so that this holds.
/// </remarks>
/// <param name="SourceToIsocenterMm">R (mm).</param>
/// <param name="SourceToDetectorMm">D (mm).</param>
/// <param name="Shape">Curved (equiangular) or flat detector.</param>
/// <param name="Channels">Detector channels (sinogram width).</param>
/// <param name="ChannelSpacingMm">Channel pitch at the detector (mm; arc length when curved).</param>
/// <param name="CentralChannel">1-based channel coordinate of the central ray.</param>
/// <param name="ViewsPerRotation">Views per 2π rotation (sinogram height).</param>
/// <param name="DetectorRows">Detector rows (the row pattern lives on these).</param>
/// <param name="RowSpacingMm">Row pitch at the detector (mm).</param>
/// <param name="CentralRow">1-based row coordinate of the central ray.</param>
/// <param name="PitchFactor">Helical pitch factor (table feed per rotation / collimation at the isocenter).</param>
/// <param name="StartAngleRad">Source angle of sinogram view 0 (rad).</param>
public sealed record DualDomainGeometry(
    double SourceToIsocenterMm,
    double SourceToDetectorMm,
    DetectorShape Shape,
    int Channels,
    double ChannelSpacingMm,
    double CentralChannel,
    int ViewsPerRotation,
    int DetectorRows,
    double RowSpacingMm,
    double CentralRow,
    double PitchFactor,
    double StartAngleRad = 0.0)
{
    // Relative tolerance for comparing geometry numbers: absorbs float formatting, not real differences.
    private const double MatchTolerance = 1e-9;

    /// <summary>The numbers of a helical scanner (its start angle and z are not part of a network's geometry).</summary>
    public static DualDomainGeometry FromHelical(HelicalGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return new DualDomainGeometry(geometry.SourceToIsocenterMm, geometry.SourceToDetectorMm, geometry.DetectorShape,
            geometry.Channels, geometry.ChannelSpacingMm, geometry.CentralChannel, geometry.ViewsPerRotation,
            geometry.Rows, geometry.RowSpacingMm, geometry.CentralRow, geometry.PitchFactor);
    }

    /// <summary>The helical scanner these numbers describe (start angle and start z 0).</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public HelicalGeometry ToHelicalGeometry() =>
        new(SourceToIsocenterMm, SourceToDetectorMm, Shape, Channels, ChannelSpacingMm, DetectorRows, RowSpacingMm,
            CentralChannel, CentralRow, ViewsPerRotation, PitchFactor);

    /// <summary>The fan-beam geometry of the network's sinograms: one full rotation from <see cref="StartAngleRad"/>.</summary>
    public FanBeamGeometry ToFanBeamGeometry() =>
        new(SourceToIsocenterMm, SourceToDetectorMm, Shape, Channels, ChannelSpacingMm, CentralChannel,
            ViewsPerRotation, StartAngleRad, 2.0 * Math.PI / ViewsPerRotation);

    /// <summary>Checks every value (through <see cref="HelicalGeometry"/>'s own checks).</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        if (Channels < 2 || ViewsPerRotation < 2)
        {
            throw new ArgumentException(
                $"Network geometry: a sinogram needs at least 2 channels and 2 views per rotation (got {Channels} x {ViewsPerRotation}).");
        }
        if (!double.IsFinite(StartAngleRad))
        {
            throw new ArgumentException($"Network geometry: start angle {StartAngleRad} rad is not finite.");
        }
        try
        {
            _ = ToHelicalGeometry();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Network geometry: {e.Message}", e);
        }
    }

    /// <summary>
    /// The fields in which <paramref name="actual"/> differs from this geometry (empty when they match), each named
    /// <c>geometry.&lt;field&gt;</c>.
    /// </summary>
    public IReadOnlyList<NetworkCheckpointMismatch> Differences(DualDomainGeometry actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        var list = new List<NetworkCheckpointMismatch>();
        Number(list, "sourceToIsocenterMm", SourceToIsocenterMm, actual.SourceToIsocenterMm);
        Number(list, "sourceToDetectorMm", SourceToDetectorMm, actual.SourceToDetectorMm);
        if (Shape != actual.Shape)
        {
            list.Add(new NetworkCheckpointMismatch("geometry.shape", Shape.ToString(), actual.Shape.ToString()));
        }
        Number(list, "channels", Channels, actual.Channels);
        Number(list, "channelSpacingMm", ChannelSpacingMm, actual.ChannelSpacingMm);
        Number(list, "centralChannel", CentralChannel, actual.CentralChannel);
        Number(list, "viewsPerRotation", ViewsPerRotation, actual.ViewsPerRotation);
        Number(list, "detectorRows", DetectorRows, actual.DetectorRows);
        Number(list, "rowSpacingMm", RowSpacingMm, actual.RowSpacingMm);
        Number(list, "centralRow", CentralRow, actual.CentralRow);
        Number(list, "pitchFactor", PitchFactor, actual.PitchFactor);
        Number(list, "startAngleRad", StartAngleRad, actual.StartAngleRad);
        return list;
    }

    internal static bool SameNumber(double expected, double actual) =>
        expected == actual || Math.Abs(expected - actual) <= MatchTolerance * Math.Max(Math.Abs(expected), Math.Abs(actual));

    private static void Number(List<NetworkCheckpointMismatch> list, string field, double expected, double actual)
    {
        if (!SameNumber(expected, actual))
        {
            list.Add(new NetworkCheckpointMismatch("geometry." + field,
                expected.ToString("R", CultureInfo.InvariantCulture), actual.ToString("R", CultureInfo.InvariantCulture)));
        }
    }
}
