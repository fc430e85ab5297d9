namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// A symmetric U-shaped arch in the axial plane (mm): the parabola y = y0 + k·x² for |x| ≤ <see cref="HalfWidthMm"/>,
/// optionally continued by straight pieces to further points (the mandibular angles). Teeth are placed along it
/// by arc length from the midline; jaw bone is the band within some distance of it.
/// </summary>
internal sealed class DentalArch
{
    private const double TableStepMm = 0.05;
    private readonly double _y0, _k;
    private readonly double[] _arcLength;
    private readonly (double X, double Y)[] _polyline;

    public DentalArch(double frontYMm, double curvaturePerMm, double halfWidthMm, params (double X, double Y)[] tail)
    {
        _y0 = frontYMm;
        _k = curvaturePerMm;
        HalfWidthMm = halfWidthMm;
        int n = (int)Math.Ceiling(halfWidthMm / TableStepMm);
        _arcLength = new double[n + 1];
        for (int i = 1; i <= n; i++)
        {
            double x0 = (i - 1) * TableStepMm, x1 = i * TableStepMm;
            _arcLength[i] = _arcLength[i - 1] + Math.Sqrt(TableStepMm * TableStepMm + Math.Pow(YAt(x1) - YAt(x0), 2));
        }
        // A coarser polyline for distance queries, then the tail.
        var points = new List<(double, double)>();
        const double PolylineStepMm = 1.5;
        for (double x = 0; x < halfWidthMm; x += PolylineStepMm)
        {
            points.Add((x, YAt(x)));
        }
        points.Add((halfWidthMm, YAt(halfWidthMm)));
        points.AddRange(tail);
        _polyline = [.. points];
    }

    public double HalfWidthMm { get; }

    /// <summary>y of the parabola at x.</summary>
    public double YAt(double x) => _y0 + _k * x * x;

    /// <summary>
    /// The point at arc length <paramref name="s"/> from the midline on the side given by <paramref name="sign"/>
    /// (−1: patient's right), with the unit tangent pointing away from the midline.
    /// </summary>
    public (double X, double Y, double TangentX, double TangentY) At(double s, double sign)
    {
        int i = Array.BinarySearch(_arcLength, s);
        if (i < 0)
        {
            i = ~i;
        }
        i = Math.Clamp(i, 1, _arcLength.Length - 1);
        double f = (s - _arcLength[i - 1]) / (_arcLength[i] - _arcLength[i - 1]);
        double x = (i - 1 + f) * TableStepMm;
        double slope = 2 * _k * x;
        double norm = Math.Sqrt(1 + slope * slope);
        return (sign * x, YAt(x), sign / norm, slope / norm);
    }

    /// <summary>In-plane distance (mm) from (x, y) to the arch (parabola and tail), using the mirror symmetry.</summary>
    public double DistanceMm(double x, double y)
    {
        double ax = Math.Abs(x), best = double.PositiveInfinity;
        for (int i = 1; i < _polyline.Length; i++)
        {
            (double x0, double y0) = _polyline[i - 1];
            (double x1, double y1) = _polyline[i];
            double dx = x1 - x0, dy = y1 - y0;
            double t = Math.Clamp(((ax - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy), 0, 1);
            double ex = ax - (x0 + t * dx), ey = y - (y0 + t * dy);
            best = Math.Min(best, ex * ex + ey * ey);
        }
        return Math.Sqrt(best);
    }

    /// <summary>True when (x, y) lies on the concave (tongue/palate) side of the parabola, within its width.</summary>
    public bool Inside(double x, double y) => Math.Abs(x) < HalfWidthMm && y > YAt(x);
}
