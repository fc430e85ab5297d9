namespace FedNano.Reconstruction.Phantoms;

/// <summary>Small closed-form shape functions shared by the procedural phantoms.</summary>
internal static class ImplicitShapes
{
    /// <summary>
    /// Normalised radius of a "squircle" between an ellipse (<paramref name="squareness"/> 0) and a rounded
    /// rectangle (1): 1 on the boundary, and homogeneous (doubling the point's distance from the centre doubles
    /// it), so r·(1 − 1/ρ) approximates the distance beyond the boundary along the ray from the centre.
    /// </summary>
    public static double Squircle(double x, double y, double semiX, double semiY, double squareness)
    {
        double u = x / semiX, v = y / semiY;
        double u2 = u * u, v2 = v * v;
        return Math.Sqrt((1 - squareness) * (u2 + v2) + squareness * Math.Sqrt(u2 * u2 + v2 * v2));
    }

    /// <summary>Squared normalised radius of an axis-aligned ellipse centred at (cx, cy).</summary>
    public static double Ellipse2(double x, double y, double cx, double cy, double semiX, double semiY)
    {
        double u = (x - cx) / semiX, v = (y - cy) / semiY;
        return u * u + v * v;
    }

    /// <summary>Hermite step: 0 at or below <paramref name="edge0"/>, 1 at or above <paramref name="edge1"/> (edges may be reversed).</summary>
    public static double Smoothstep(double edge0, double edge1, double x)
    {
        double t = Math.Clamp((x - edge0) / (edge1 - edge0), 0.0, 1.0);
        return t * t * (3 - 2 * t);
    }

    public static double Lerp(double a, double b, double t) => a + (b - a) * t;

    /// <summary>Uniform in [min, max).</summary>
    public static double Uniform(Random rng, double min, double max) => min + (max - min) * rng.NextDouble();

    /// <summary>Log-uniform in [min, max) (both positive): small sizes as likely per octave as large ones.</summary>
    public static double LogUniform(Random rng, double min, double max) =>
        Math.Exp(Math.Log(min) + (Math.Log(max) - Math.Log(min)) * rng.NextDouble());

    /// <summary>Rounds to 0.1 (mm, HU or mL), so recorded findings read cleanly; shapes are drawn with the rounded values.</summary>
    public static double Round1(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);

    /// <summary>Unit vectors of the 26 neighbours of a cube, for probing whether a sphere stays inside a region.</summary>
    public static IReadOnlyList<Vector3Mm> SphereProbeDirections { get; } = BuildProbes();

    private static Vector3Mm[] BuildProbes()
    {
        var list = new List<Vector3Mm>(26);
        for (int i = -1; i <= 1; i++)
        {
            for (int j = -1; j <= 1; j++)
            {
                for (int k = -1; k <= 1; k++)
                {
                    if (i != 0 || j != 0 || k != 0)
                    {
                        list.Add(new Vector3Mm(i, j, k).Normalized());
                    }
                }
            }
        }
        return [.. list];
    }
}
