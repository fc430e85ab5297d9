namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// A tapered tube piece: the set of points within r(t) = r_A + (r_B − r_A)·t of the axis point A + t·(B − A),
/// t ∈ [0, 1] (a cone frustum with rounded ends), filled with one HU value. Pieces sharing end points join
/// smoothly, so polylines of them model vessels, airways and bones.
/// </summary>
internal sealed class TubeSegment
{
    private readonly double _dx, _dy, _dz, _inverseLength2;

    public TubeSegment(Vector3Mm a, Vector3Mm b, double radiusAMm, double radiusBMm, float valueHu)
    {
        A = a;
        B = b;
        RadiusAMm = radiusAMm;
        RadiusBMm = radiusBMm;
        ValueHu = valueHu;
        _dx = b.X - a.X;
        _dy = b.Y - a.Y;
        _dz = b.Z - a.Z;
        double length2 = _dx * _dx + _dy * _dy + _dz * _dz;
        _inverseLength2 = length2 > 0 ? 1.0 / length2 : 0.0;
        MaxRadiusMm = Math.Max(radiusAMm, radiusBMm);
        ZMinMm = Math.Min(a.Z, b.Z) - MaxRadiusMm;
        ZMaxMm = Math.Max(a.Z, b.Z) + MaxRadiusMm;
    }

    public Vector3Mm A { get; }

    public Vector3Mm B { get; }

    public double RadiusAMm { get; }

    public double RadiusBMm { get; }

    public double MaxRadiusMm { get; }

    public float ValueHu { get; }

    public double ZMinMm { get; }

    public double ZMaxMm { get; }

    /// <summary>The same axis with both radii changed by <paramref name="deltaMm"/> and another value (walls, fat rims).</summary>
    public TubeSegment Widened(double deltaMm, float valueHu) =>
        new(A, B, RadiusAMm + deltaMm, RadiusBMm + deltaMm, valueHu);

    public bool Contains(double x, double y, double z)
    {
        double px = x - A.X, py = y - A.Y, pz = z - A.Z;
        double t = Math.Clamp((px * _dx + py * _dy + pz * _dz) * _inverseLength2, 0.0, 1.0);
        double ex = px - t * _dx, ey = py - t * _dy, ez = pz - t * _dz;
        double r = RadiusAMm + (RadiusBMm - RadiusAMm) * t;
        return ex * ex + ey * ey + ez * ez <= r * r;
    }

    /// <summary>In-plane bounding box of the tube's cross-section with the plane at <paramref name="z"/>; false when it misses the plane.</summary>
    public bool CrossSectionBounds(double z, out double xMin, out double xMax, out double yMin, out double yMax)
    {
        xMin = xMax = yMin = yMax = 0;
        if (z < ZMinMm || z > ZMaxMm)
        {
            return false;
        }
        double lo = 0, hi = 1;
        if (Math.Abs(_dz) > 1e-9)
        {
            double t1 = (z - MaxRadiusMm - A.Z) / _dz, t2 = (z + MaxRadiusMm - A.Z) / _dz;
            lo = Math.Max(0.0, Math.Min(t1, t2));
            hi = Math.Min(1.0, Math.Max(t1, t2));
            if (lo > hi)
            {
                return false;
            }
        }
        double xa = A.X + lo * _dx, xb = A.X + hi * _dx, ya = A.Y + lo * _dy, yb = A.Y + hi * _dy;
        xMin = Math.Min(xa, xb) - MaxRadiusMm;
        xMax = Math.Max(xa, xb) + MaxRadiusMm;
        yMin = Math.Min(ya, yb) - MaxRadiusMm;
        yMax = Math.Max(ya, yb) + MaxRadiusMm;
        return true;
    }

    /// <summary>Builds consecutive pieces along a polyline with per-vertex radii.</summary>
    public static IEnumerable<TubeSegment> Polyline(float valueHu, params (Vector3Mm Point, double RadiusMm)[] vertices)
    {
        for (int i = 1; i < vertices.Length; i++)
        {
            yield return new TubeSegment(vertices[i - 1].Point, vertices[i].Point, vertices[i - 1].RadiusMm, vertices[i].RadiusMm, valueHu);
        }
    }
}
