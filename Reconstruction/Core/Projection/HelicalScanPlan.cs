using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Projection;

/// <summary>
/// The views of a helical (or axial) acquisition: a geometry whose <see cref="HelicalGeometry.StartZMm"/> is the
/// source z of view 0, and the number of views. View v has source angle <c>Geometry.SourceAngleRad(v)</c> and
/// source z <c>Geometry.SourceZMm(v)</c>.
/// </summary>
/// <remarks>
/// <para><see cref="Cover(HelicalGeometry, double, double)"/> chooses the views so that every slice z in the
/// requested range can be reconstructed by the analytic helical methods and by the dual-domain network. For a
/// target slice z (F = table feed per rotation, V = views per rotation):</para>
/// <list type="bullet">
/// <item>single-slice rebinning uses one full rotation of views centred on z: source z within z ± F/2;</item>
/// <item>360LI interpolates, for every view angle, between the two views of that angle whose source z brackets z,
/// i.e. one rotation before and one after: source z within z ± F (180LI needs less, within z ± F/2 plus the
/// fan-angle dependent complementary ray, still inside z ± F);</item>
/// <item>multi-row methods (weighted FBP, the network's input) use every view whose cone reaches the slice: a
/// ray through detector row offset w (at the detector) reaches z = z_s + w·ℓ/D at in-plane distance ℓ from
/// the source, and voxels of the field of view lie at ℓ ≤ R + r_FOV, so no view with
/// |z_s − z| &gt; w_max·(R + r_FOV)/D sees the slice (w_max = largest |row offset| of the detector's outer row
/// edges; a flat detector reaches less because its in-plane path to the row is longer than D).</item>
/// </list>
/// <para>The plan therefore spans source z from z_start − M to z_end + M with
/// M = max(F, w_max·(R + r_FOV)/D) + F/V, the last term one view of slack so that interpolation at exactly the
/// margin still has both neighbours. An axial plan (pitch 0) is one rotation with the source plane at the
/// middle of the range; it fully measures only slices within
/// ± w_max·(R − r_FOV)/D of that plane (every voxel of the field of view inside the cone in every view).</para>
/// </remarks>
public sealed class HelicalScanPlan
{
    /// <summary>Upper bound on the views of one plan (guards against absurd ranges and allocations).</summary>
    public const int MaxViews = 10_000_000;

    private readonly double[] _viewAngleRad;
    private readonly double[] _viewZMm;

    /// <summary>A plan of <paramref name="views"/> consecutive views starting at the geometry's start angle and z.</summary>
    /// <exception cref="ArgumentException">The view count is not in 1..<see cref="MaxViews"/>.</exception>
    public HelicalScanPlan(HelicalGeometry geometry, int views)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (views < 1 || views > MaxViews)
        {
            throw new ArgumentException($"A scan plan needs 1..{MaxViews} views (got {views}).", nameof(views));
        }
        Geometry = geometry;
        Views = views;
        MarginMm = RequiredMarginMm(geometry);
        _viewAngleRad = new double[views];
        _viewZMm = new double[views];
        for (int v = 0; v < views; v++)
        {
            _viewAngleRad[v] = geometry.SourceAngleRad(v);
            _viewZMm[v] = geometry.SourceZMm(v);
        }
        double reach = ConeReachMm(geometry);
        ReachZStartMm = _viewZMm[0] - reach; // Source z never decreases (pitch ≥ 0).
        ReachZEndMm = _viewZMm[^1] + reach;
        if (IsAxial)
        {
            double half = AxialHalfCoverageMm(geometry);
            CoveredZStartMm = geometry.StartZMm - half;
            CoveredZEndMm = geometry.StartZMm + half;
        }
        else
        {
            CoveredZStartMm = _viewZMm[0] + MarginMm;
            CoveredZEndMm = _viewZMm[^1] - MarginMm;
        }
    }

    /// <summary>The acquisition geometry; its <see cref="HelicalGeometry.StartZMm"/> is the source z of view 0.</summary>
    public HelicalGeometry Geometry { get; }

    /// <summary>Source z of view 0 (mm).</summary>
    public double StartZMm => Geometry.StartZMm;

    /// <summary>Number of views.</summary>
    public int Views { get; }

    /// <summary>True for an axial plan (pitch 0): the source z is the same for every view.</summary>
    public bool IsAxial => Geometry.PitchFactor == 0;

    /// <summary>The margin M (mm) a helical plan keeps beyond each end of its covered range (see remarks).</summary>
    public double MarginMm { get; }

    /// <summary>
    /// Lowest slice z (mm) the plan fully supports: first view's z + margin (helical), or the lower edge of the
    /// fully measured slab (axial). Greater than <see cref="CoveredZEndMm"/> when the plan covers nothing.
    /// </summary>
    public double CoveredZStartMm { get; }

    /// <summary>Highest slice z (mm) the plan fully supports (see <see cref="CoveredZStartMm"/>).</summary>
    public double CoveredZEndMm { get; }

    /// <summary>
    /// Lowest z (mm) any ray of the plan reaches inside the field of view: lowest source z − w_max·(R + r_FOV)/D.
    /// An object that should appear untruncated in every view must extend from here to <see cref="ReachZEndMm"/>.
    /// </summary>
    public double ReachZStartMm { get; }

    /// <summary>Highest z (mm) any ray of the plan reaches inside the field of view (see <see cref="ReachZStartMm"/>).</summary>
    public double ReachZEndMm { get; }

    /// <summary>Source angle of each view (rad, not wrapped).</summary>
    public IReadOnlyList<double> ViewAngleRad => _viewAngleRad;

    /// <summary>Source z of each view (mm).</summary>
    public IReadOnlyList<double> ViewZMm => _viewZMm;

    /// <summary>Direct access for the projectors (not copied).</summary>
    internal ReadOnlySpan<double> AngleSpan => _viewAngleRad;

    /// <summary>Direct access for the projectors (not copied).</summary>
    internal ReadOnlySpan<double> ZSpan => _viewZMm;

    /// <summary>A copy of the view angles, e.g. for a <see cref="Scans.ProjectionScan"/>.</summary>
    public double[] CopyViewAngles() => (double[])_viewAngleRad.Clone();

    /// <summary>A copy of the view z positions, e.g. for a <see cref="Scans.ProjectionScan"/>.</summary>
    public double[] CopyViewZ() => (double[])_viewZMm.Clone();

    /// <summary>Whether slice <paramref name="zMm"/> lies in the fully supported range (1 µm tolerance).</summary>
    public bool Covers(double zMm) => zMm >= CoveredZStartMm - 1e-3 && zMm <= CoveredZEndMm + 1e-3;

    /// <summary>
    /// The views needed to reconstruct every slice in [<paramref name="zStartMm"/>, <paramref name="zEndMm"/>]
    /// (see remarks). The geometry's start angle is kept; its start z is replaced by z_start − M. For pitch 0,
    /// one rotation with the source at the middle of the range.
    /// </summary>
    /// <exception cref="ArgumentException">The range is not finite, reversed, or needs more than <see cref="MaxViews"/> views.</exception>
    public static HelicalScanPlan Cover(HelicalGeometry geometry, double zStartMm, double zEndMm)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (!double.IsFinite(zStartMm) || !double.IsFinite(zEndMm))
        {
            throw new ArgumentException($"The z range [{zStartMm}, {zEndMm}] mm must be finite.", nameof(zStartMm));
        }
        if (zEndMm < zStartMm)
        {
            throw new ArgumentException($"The z range end {zEndMm} mm lies below its start {zStartMm} mm.", nameof(zEndMm));
        }
        if (geometry.PitchFactor == 0)
        {
            return new HelicalScanPlan(WithStart(geometry, 0.5 * (zStartMm + zEndMm), geometry.StartAngleRad), geometry.ViewsPerRotation);
        }
        double feed = geometry.TableFeedPerRotationMm;
        double margin = RequiredMarginMm(geometry);
        double rotations = (zEndMm - zStartMm + 2.0 * margin) / feed;
        double viewsNeeded = Math.Ceiling(rotations * geometry.ViewsPerRotation - 1e-9) + 1.0;
        if (!(viewsNeeded <= MaxViews))
        {
            throw new ArgumentException(
                $"Covering z {zStartMm}..{zEndMm} mm at {feed:F3} mm per rotation needs {viewsNeeded} views (limit {MaxViews}).",
                nameof(zEndMm));
        }
        return new HelicalScanPlan(WithStart(geometry, zStartMm - margin, geometry.StartAngleRad), (int)viewsNeeded);
    }

    /// <summary>The views covering every slice centre of <paramref name="grid"/> (see <see cref="Cover(HelicalGeometry, double, double)"/>).</summary>
    public static HelicalScanPlan Cover(HelicalGeometry geometry, VolumeGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        grid.Validate();
        return Cover(geometry, grid.ZMm(0), grid.ZMm(grid.Nz - 1));
    }

    /// <summary>
    /// The margin M (mm) beyond each end of a covered z range: max(F, w_max·(R + r_FOV)/D) + F/V (see remarks);
    /// 0 for an axial geometry.
    /// </summary>
    public static double RequiredMarginMm(HelicalGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        double feed = geometry.TableFeedPerRotationMm;
        if (feed == 0)
        {
            return 0;
        }
        return Math.Max(feed, ConeReachMm(geometry)) + feed / geometry.ViewsPerRotation;
    }

    /// <summary>
    /// Largest |z − z_source| (mm) a ray reaches inside the field of view: w_max·(R + r_FOV)/D, with w_max the
    /// largest |row offset| of the detector's outer row edges (see remarks).
    /// </summary>
    public static double ConeReachMm(HelicalGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return MaxRowOffsetMm(geometry)
            * (geometry.SourceToIsocenterMm + geometry.FieldOfViewDiameterMm / 2) / geometry.SourceToDetectorMm;
    }

    /// <summary>
    /// Half-thickness (mm) of the slab an axial scan measures completely: w_max·(R − r_FOV)/D, the z offset from
    /// the source plane within which every voxel of the field of view lies inside the cone in every view.
    /// </summary>
    public static double AxialHalfCoverageMm(HelicalGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return MaxRowOffsetMm(geometry)
            * (geometry.SourceToIsocenterMm - geometry.FieldOfViewDiameterMm / 2) / geometry.SourceToDetectorMm;
    }

    /// <summary>
    /// The same geometry with a new start z and start angle (<see cref="HelicalGeometry"/> is immutable).
    /// </summary>
    public static HelicalGeometry WithStart(HelicalGeometry geometry, double startZMm, double startAngleRad)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return new HelicalGeometry(
            geometry.SourceToIsocenterMm, geometry.SourceToDetectorMm, geometry.DetectorShape,
            geometry.Channels, geometry.ChannelSpacingMm, geometry.Rows, geometry.RowSpacingMm,
            geometry.CentralChannel, geometry.CentralRow, geometry.ViewsPerRotation, geometry.PitchFactor,
            startAngleRad, startZMm);
    }

    /// <summary>Largest |row offset| (mm, at the detector) of the detector's outer row edges.</summary>
    private static double MaxRowOffsetMm(HelicalGeometry geometry) =>
        Math.Max(Math.Abs(geometry.RowOffsetMm(-0.5)), Math.Abs(geometry.RowOffsetMm(geometry.Rows - 0.5)));
}
