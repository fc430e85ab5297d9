using FedNano.Reconstruction.Phantoms;

namespace FedNano.Reconstruction.Tests;

public class SheppLoganTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(5.0)]
    [InlineData(12.5)]
    [InlineData(19.9)]
    public void Sphere_chord_is_two_sqrt_r2_minus_d2_times_mu(double d)
    {
        const double r = 20.0, mu = 0.03;
        // Unit normalised radius mapped to 20 mm; density 1.5 × μw 0.02 = 0.03 /mm.
        var phantom = new SheppLogan3D([new Ellipsoid(0.1, -0.2, 0.3, 1, 1, 1, 37, 1.5)], r, 0.02);
        double cx = 2, cy = -4, cz = 6;
        // Ray along a skew direction whose closest approach to the centre is d.
        double[] dir = Normalise([1, 2, -0.5]);
        double[] perp = Normalise(Cross(dir, [0, 0, 1]));
        double sx = cx + d * perp[0] - 100 * dir[0];
        double sy = cy + d * perp[1] - 100 * dir[1];
        double sz = cz + d * perp[2] - 100 * dir[2];
        double expected = 2 * Math.Sqrt(r * r - d * d) * mu;
        Assert.Equal(expected, phantom.LineIntegral(sx, sy, sz, 3 * dir[0], 3 * dir[1], 3 * dir[2]), 1e-12);
        // Pointing away: nothing behind the source counts.
        Assert.Equal(0.0, phantom.LineIntegral(sx, sy, sz, -dir[0], -dir[1], -dir[2]), 12);
        // Source at the sphere centre: half the chord.
        Assert.Equal(r * mu, phantom.LineIntegral(cx, cy, cz, dir[0], dir[1], dir[2]), 1e-12);
    }

    [Fact]
    public void Missing_ray_gives_zero()
    {
        var phantom = new SheppLogan3D(100);
        Assert.Equal(0.0, phantom.LineIntegral(-500, 150, 0, 1, 0, 0));
    }

    [Fact]
    public void Point_values_are_relative_to_water()
    {
        var phantom = new SheppLogan3D(100, 0.02);
        Assert.Equal(1.02 * 0.02, phantom.Value(0, -30, 40), 1e-12);     // brain
        Assert.Equal(2.0 * 0.02, phantom.Value(0, 90, 0), 1e-12);        // skull
        Assert.Equal(0.0, phantom.Value(0, 99, 0));                       // outside
        Assert.Equal(10, phantom.Ellipsoids.Count);
    }

    [Fact]
    public void Analytic_line_integral_matches_numeric_sum_of_values()
    {
        const double radius = 120;
        var phantom = new SheppLogan3D(radius);
        var rng = new Random(1234);
        for (int k = 0; k < 12; k++)
        {
            // Source on a sphere of 2R, aimed at a random point inside 0.6 R.
            double[] s = Scale(RandomUnit(rng), 2 * radius);
            double[] target = Scale(RandomUnit(rng), 0.6 * radius * rng.NextDouble());
            double[] dir = [target[0] - s[0], target[1] - s[1], target[2] - s[2]];
            double analytic = phantom.LineIntegral(s[0], s[1], s[2], dir[0], dir[1], dir[2]);

            double[] u = Normalise(dir);
            const double length = 4 * radius; // covers the whole phantom from the source
            const int n = 400_000;
            double h = length / n, numeric = 0;
            for (int i = 0; i < n; i++)
            {
                double t = (i + 0.5) * h;
                numeric += phantom.Value(s[0] + t * u[0], s[1] + t * u[1], s[2] + t * u[2]);
            }
            numeric *= h;
            Assert.True(analytic > 0, $"ray {k} missed the phantom");
            Assert.True(Math.Abs(numeric - analytic) <= 1e-3 * analytic,
                $"ray {k}: analytic {analytic}, numeric {numeric}");
        }
    }

    private static double[] RandomUnit(Random rng)
    {
        while (true)
        {
            double[] v = [2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1];
            double n2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
            if (n2 is > 1e-6 and <= 1)
            {
                return Normalise(v);
            }
        }
    }

    private static double[] Scale(double[] v, double s) => [v[0] * s, v[1] * s, v[2] * s];

    private static double[] Normalise(double[] v)
    {
        double n = Math.Sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return [v[0] / n, v[1] / n, v[2] / n];
    }

    private static double[] Cross(double[] a, double[] b) =>
        [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
