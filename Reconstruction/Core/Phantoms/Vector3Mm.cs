namespace FedNano.Reconstruction.Phantoms;

/// <summary>A point or displacement in the scanner frame (mm), double precision.</summary>
internal readonly record struct Vector3Mm(double X, double Y, double Z)
{
    public static Vector3Mm operator +(Vector3Mm a, Vector3Mm b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    public static Vector3Mm operator -(Vector3Mm a, Vector3Mm b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    public static Vector3Mm operator *(double s, Vector3Mm a) => new(s * a.X, s * a.Y, s * a.Z);

    public double Dot(Vector3Mm b) => X * b.X + Y * b.Y + Z * b.Z;

    public Vector3Mm Cross(Vector3Mm b) => new(Y * b.Z - Z * b.Y, Z * b.X - X * b.Z, X * b.Y - Y * b.X);

    public double Length => Math.Sqrt(X * X + Y * Y + Z * Z);

    public Vector3Mm Normalized()
    {
        double n = Length;
        return n > 0 ? (1.0 / n) * this : this;
    }

    public PointMm ToPoint() => new(X, Y, Z);

    /// <summary>The point with each coordinate rounded to 0.1 mm (for landmarks).</summary>
    public PointMm ToRoundedPoint() => new(ImplicitShapes.Round1(X), ImplicitShapes.Round1(Y), ImplicitShapes.Round1(Z));
}
