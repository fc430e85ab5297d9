using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// One ellipsoid of an analytic phantom, in phantom-normalised coordinates (the phantom fits the unit ball):
/// centre, semi-axes, rotation about z, and additive density relative to water.
/// </summary>
/// <param name="CenterX">Centre x (normalised).</param>
/// <param name="CenterY">Centre y (normalised).</param>
/// <param name="CenterZ">Centre z (normalised).</param>
/// <param name="SemiAxisX">Semi-axis along the ellipsoid's own x (normalised).</param>
/// <param name="SemiAxisY">Semi-axis along the ellipsoid's own y (normalised).</param>
/// <param name="SemiAxisZ">Semi-axis along z (normalised).</param>
/// <param name="RotationDeg">Counter-clockwise rotation about z of the ellipsoid's x axis (degrees).</param>
/// <param name="Density">Additive attenuation in units of μ_water.</param>
public readonly record struct Ellipsoid(
    double CenterX, double CenterY, double CenterZ,
    double SemiAxisX, double SemiAxisY, double SemiAxisZ,
    double RotationDeg, double Density);

/// <summary>
/// The 3D Shepp–Logan head phantom (10 ellipsoids, Kak &amp; Slaney, "Principles of Computerized Tomographic
/// Imaging", Table 3.1, with their original additive densities 2, −0.98, −0.02, … so that skull = 2.0,
/// brain = 1.02, ventricles = 1.0, small features 1.03–1.04). Densities are in units of the attenuation of
/// water; the phantom converts them to linear attenuation (1/mm) by multiplying with <see cref="MuWaterPerMm"/>
/// and scales the normalised coordinates by <see cref="RadiusMm"/> (the phantom fits a ball of that radius,
/// the skull's largest semi-axis being 0.92·radius). Coordinates are in mm with the phantom centred at the origin.
/// </summary>
public sealed class SheppLogan3D
{
    /// <summary>Attenuation of water at about 70 keV effective energy (1/mm), the default μ_water.</summary>
    public const double DefaultMuWaterPerMm = 0.0192;

    /// <summary>The 10 ellipsoids of Kak &amp; Slaney's 3D Shepp–Logan phantom (normalised coordinates).</summary>
    public static IReadOnlyList<Ellipsoid> KakSlaneyEllipsoids { get; } =
    [
        new(0, 0, 0, 0.69, 0.92, 0.90, 0, 2.0),
        new(0, 0, 0, 0.6624, 0.874, 0.88, 0, -0.98),
        new(-0.22, 0, -0.25, 0.41, 0.16, 0.21, 108, -0.02),
        new(0.22, 0, -0.25, 0.31, 0.11, 0.22, 72, -0.02),
        new(0, 0.35, -0.25, 0.21, 0.25, 0.50, 0, 0.01),
        new(0, 0.1, -0.25, 0.046, 0.046, 0.046, 0, 0.01),
        new(-0.08, -0.65, -0.25, 0.046, 0.023, 0.02, 0, 0.01),
        new(0.06, -0.65, -0.25, 0.046, 0.023, 0.02, 90, 0.01),
        new(0.06, -0.105, 0.625, 0.056, 0.04, 0.10, 90, 0.02),
        new(0, 0.1, 0.625, 0.056, 0.056, 0.10, 0, -0.02),
    ];

    private readonly Prepared[] _parts;

    /// <summary>Creates the standard phantom scaled to <paramref name="radiusMm"/>.</summary>
    /// <param name="radiusMm">Physical radius (mm) that normalised radius 1 maps to.</param>
    /// <param name="muWaterPerMm">Attenuation of water (1/mm) that density 1 maps to.</param>
    public SheppLogan3D(double radiusMm = 100.0, double muWaterPerMm = DefaultMuWaterPerMm)
        : this(KakSlaneyEllipsoids, radiusMm, muWaterPerMm)
    {
    }

    /// <summary>Creates a phantom from arbitrary ellipsoids (normalised coordinates), scaled to <paramref name="radiusMm"/>.</summary>
    /// <exception cref="ArgumentException">The radius, μ_water or an ellipsoid is invalid.</exception>
    public SheppLogan3D(IEnumerable<Ellipsoid> ellipsoids, double radiusMm, double muWaterPerMm = DefaultMuWaterPerMm)
    {
        ArgumentNullException.ThrowIfNull(ellipsoids);
        if (!double.IsFinite(radiusMm) || radiusMm <= 0)
        {
            throw new ArgumentException($"Phantom radius must be positive and finite (got {radiusMm} mm).", nameof(radiusMm));
        }
        if (!double.IsFinite(muWaterPerMm) || muWaterPerMm <= 0)
        {
            throw new ArgumentException($"μ_water must be positive and finite (got {muWaterPerMm} /mm).", nameof(muWaterPerMm));
        }
        RadiusMm = radiusMm;
        MuWaterPerMm = muWaterPerMm;
        Ellipsoids = ellipsoids.ToArray();
        _parts = new Prepared[Ellipsoids.Count];
        for (int i = 0; i < _parts.Length; i++)
        {
            Ellipsoid e = Ellipsoids[i];
            if (!(e.SemiAxisX > 0 && e.SemiAxisY > 0 && e.SemiAxisZ > 0)
                || !double.IsFinite(e.SemiAxisX + e.SemiAxisY + e.SemiAxisZ + e.CenterX + e.CenterY + e.CenterZ + e.RotationDeg + e.Density))
            {
                throw new ArgumentException($"Ellipsoid {i} has non-positive semi-axes or non-finite values: {e}.", nameof(ellipsoids));
            }
            double th = e.RotationDeg * Math.PI / 180.0;
            _parts[i] = new Prepared(
                e.CenterX * radiusMm, e.CenterY * radiusMm, e.CenterZ * radiusMm,
                Math.Cos(th), Math.Sin(th),
                1.0 / (e.SemiAxisX * radiusMm), 1.0 / (e.SemiAxisY * radiusMm), 1.0 / (e.SemiAxisZ * radiusMm),
                e.Density * muWaterPerMm);
        }
    }

    /// <summary>Physical radius (mm) of the normalised unit ball.</summary>
    public double RadiusMm { get; }

    /// <summary>Attenuation of water (1/mm): density 1.0 maps to this.</summary>
    public double MuWaterPerMm { get; }

    /// <summary>The ellipsoids, in normalised coordinates with densities relative to water.</summary>
    public IReadOnlyList<Ellipsoid> Ellipsoids { get; }

    /// <summary>Linear attenuation (1/mm) at the point (mm); boundary points count as inside.</summary>
    public double Value(double xMm, double yMm, double zMm)
    {
        double sum = 0;
        foreach (ref readonly Prepared p in _parts.AsSpan())
        {
            p.Local(xMm, yMm, zMm, out double u, out double v, out double w);
            if (u * u + v * v + w * w <= 1.0)
            {
                sum += p.Mu;
            }
        }
        return sum;
    }

    /// <summary>
    /// Exact line integral of the attenuation (dimensionless) along the ray from the source point (mm) in the
    /// given direction (need not be unit length), over the half-line t ≥ 0 only: the sum over ellipsoids of the
    /// analytic chord length (ray–quadric intersection) times the ellipsoid's attenuation.
    /// </summary>
    /// <exception cref="ArgumentException">The direction is zero or non-finite.</exception>
    public double LineIntegral(
        double sourceXMm, double sourceYMm, double sourceZMm,
        double directionX, double directionY, double directionZ)
    {
        double norm = Math.Sqrt(directionX * directionX + directionY * directionY + directionZ * directionZ);
        if (!(norm > 0) || !double.IsFinite(norm))
        {
            throw new ArgumentException("Ray direction must be non-zero and finite.", nameof(directionX));
        }
        double dx = directionX / norm, dy = directionY / norm, dz = directionZ / norm;
        double sum = 0;
        foreach (ref readonly Prepared p in _parts.AsSpan())
        {
            p.Local(sourceXMm, sourceYMm, sourceZMm, out double su, out double sv, out double sw);
            p.LocalDirection(dx, dy, dz, out double du, out double dv, out double dw);
            double a = du * du + dv * dv + dw * dw;
            double b = su * du + sv * dv + sw * dw;
            double c = su * su + sv * sv + sw * sw - 1.0;
            double disc = b * b - a * c;
            if (disc <= 0)
            {
                continue;
            }
            double root = Math.Sqrt(disc);
            // Numerically stable roots of a t² + 2 b t + c = 0.
            double q = b >= 0 ? -(b + root) : -(b - root);
            double t1 = q / a, t2 = c / q;
            double lo = Math.Max(0.0, Math.Min(t1, t2));
            double hi = Math.Max(t1, t2);
            if (hi > lo)
            {
                sum += (hi - lo) * p.Mu;
            }
        }
        return sum;
    }

    /// <summary>
    /// Samples the phantom's linear attenuation (1/mm) on <paramref name="grid"/>: each voxel is the mean of
    /// <paramref name="supersample"/> × <paramref name="supersample"/> point values on an in-plane lattice at the
    /// slice's centre z (anti-aliased in-plane edges; no averaging across z, as a thin reconstructed slice).
    /// </summary>
    /// <param name="grid">Where to sample (mm; the phantom is centred at the origin).</param>
    /// <param name="supersample">In-plane subsamples per voxel side, 1..8 (1 = voxel centres).</param>
    /// <exception cref="ArgumentException">The grid or the supersampling factor is invalid.</exception>
    public CtVolume Voxelize(VolumeGrid grid, int supersample = 2)
    {
        ArgumentNullException.ThrowIfNull(grid);
        float[] values = SupersampledRenderer.Render(grid, supersample, RenderSlice);
        return new CtVolume(grid, values, VolumeUnit.AttenuationPerMm);
    }

    private void RenderSlice(in SubsamplePlane plane, float[] subsamples)
    {
        // Only ellipsoids that reach this z, with the squared radius of their cross-section there.
        var active = new List<(Prepared Part, double Radius2)>(_parts.Length);
        foreach (Prepared p in _parts)
        {
            double w = (plane.ZMm - p.Cz) * p.InvC;
            if (w * w <= 1.0)
            {
                active.Add((p, 1.0 - w * w));
            }
        }
        var row = new double[plane.Width];
        for (int r = 0; r < plane.Height; r++)
        {
            Array.Clear(row);
            double y = plane.YMm(r);
            // Parts in list order, as Value() sums them, so that values match it exactly.
            foreach ((Prepared p, double radius2) in active)
            {
                // Along the row the local coordinates are affine in x: u = a1·x + b1, v = a2·x + b2.
                double dy = y - p.Cy;
                double a1 = p.Cos * p.InvA, b1 = (p.Sin * dy - p.Cos * p.Cx) * p.InvA;
                double a2 = -p.Sin * p.InvB, b2 = (p.Cos * dy + p.Sin * p.Cx) * p.InvB;
                double qa = a1 * a1 + a2 * a2, qb = a1 * b1 + a2 * b2, qc = b1 * b1 + b2 * b2 - radius2;
                double disc = qb * qb - qa * qc;
                if (disc < 0)
                {
                    continue;
                }
                double root = Math.Sqrt(disc);
                // One column of slack each side; the exact test below decides the boundary cells.
                (int lo, int hi) = plane.Columns((-qb - root) / qa - plane.StepMm, (-qb + root) / qa + plane.StepMm);
                for (int c = lo; c <= hi; c++)
                {
                    p.Local(plane.XMm(c), y, plane.ZMm, out double u, out double v, out double t);
                    if (u * u + v * v + t * t <= 1.0)
                    {
                        row[c] += p.Mu;
                    }
                }
            }
            int offset = r * plane.Width;
            for (int c = 0; c < plane.Width; c++)
            {
                subsamples[offset + c] = (float)row[c];
            }
        }
    }

    private readonly record struct Prepared(
        double Cx, double Cy, double Cz, double Cos, double Sin, double InvA, double InvB, double InvC, double Mu)
    {
        public void Local(double x, double y, double z, out double u, out double v, out double w)
        {
            LocalDirection(x - Cx, y - Cy, z - Cz, out u, out v, out w);
        }

        public void LocalDirection(double x, double y, double z, out double u, out double v, out double w)
        {
            // Rotate by −θ about z into the ellipsoid's frame, then scale by the inverse semi-axes.
            u = (Cos * x + Sin * y) * InvA;
            v = (-Sin * x + Cos * y) * InvB;
            w = z * InvC;
        }
    }
}
