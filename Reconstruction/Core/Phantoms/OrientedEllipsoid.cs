namespace FedNano.Reconstruction.Phantoms;

/// <summary>An ellipsoid (mm) with its x axis rotated counter-clockwise about z by <see cref="RotationRad"/>.</summary>
internal sealed class OrientedEllipsoid
{
    private readonly double _cos, _sin, _invA, _invB, _invC;

    public OrientedEllipsoid(double cx, double cy, double cz, double semiX, double semiY, double semiZ, double rotationRad = 0)
    {
        Center = new Vector3Mm(cx, cy, cz);
        SemiXMm = semiX;
        SemiYMm = semiY;
        SemiZMm = semiZ;
        RotationRad = rotationRad;
        _cos = Math.Cos(rotationRad);
        _sin = Math.Sin(rotationRad);
        _invA = 1 / semiX;
        _invB = 1 / semiY;
        _invC = 1 / semiZ;
        double reach = Math.Max(semiX, semiY);
        XMin = cx - reach;
        XMax = cx + reach;
        YMin = cy - reach;
        YMax = cy + reach;
    }

    public Vector3Mm Center { get; }

    public double SemiXMm { get; }

    public double SemiYMm { get; }

    public double SemiZMm { get; }

    public double RotationRad { get; }

    public double XMin { get; }

    public double XMax { get; }

    public double YMin { get; }

    public double YMax { get; }

    public bool ReachesZ(double z) => Math.Abs(z - Center.Z) <= SemiZMm;

    /// <summary>Squared normalised radius: ≤ 1 inside.</summary>
    public double Radius2(double x, double y, double z)
    {
        double dx = x - Center.X, dy = y - Center.Y;
        double u = (_cos * dx + _sin * dy) * _invA;
        double v = (-_sin * dx + _cos * dy) * _invB;
        double w = (z - Center.Z) * _invC;
        return u * u + v * v + w * w;
    }

    /// <summary>Inside test with a cheap bounding-box reject first.</summary>
    public bool Contains(double x, double y, double z) =>
        x >= XMin && x <= XMax && y >= YMin && y <= YMax && Radius2(x, y, z) <= 1;

    /// <summary>The mirror image in x (the same structure on the other side).</summary>
    public OrientedEllipsoid MirroredX() =>
        new(-Center.X, Center.Y, Center.Z, SemiXMm, SemiYMm, SemiZMm, -RotationRad);

    /// <summary>The same centre and rotation with every semi-axis grown by <paramref name="deltaMm"/> (walls).</summary>
    public OrientedEllipsoid Grown(double deltaMm) =>
        new(Center.X, Center.Y, Center.Z, SemiXMm + deltaMm, SemiYMm + deltaMm, SemiZMm + deltaMm, RotationRad);
}
