using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Projection;

namespace FedNano.Reconstruction.Tests.Projection;

public class AnalyticProjectorTests
{
    [Theory]
    [InlineData(DetectorShape.Curved)]
    [InlineData(DetectorShape.Flat)]
    public void Sphere_line_integrals_are_exact_chords_with_the_phantom_centre_shifted_in_z(DetectorShape shape)
    {
        // A sphere of radius 30 mm at (20, −10, 5) in phantom coordinates, phantom centred at z = 40 mm.
        const double radius = 30, centerZ = 40, mu = 0.03;
        var phantom = new SheppLogan3D([new Ellipsoid(20 / radius, -10 / radius, 5 / radius, 1, 1, 1, 0, 1)], radius, mu);
        HelicalGeometry g = TestObjects.Geometry(shape, pitch: 0.7, viewsPerRotation: 9, startZMm: 30);
        var plan = new HelicalScanPlan(g, 18);
        float[] p = new AnalyticProjector().Project(phantom, plan, centerZ);

        int hits = 0;
        for (int view = 0; view < plan.Views; view++)
        {
            for (int row = 0; row < g.Rows; row++)
            {
                for (int ch = 0; ch < g.Channels; ch++)
                {
                    (double[] s, double[] dir) = TestObjects.Ray(g, plan.ViewAngleRad[view], plan.ViewZMm[view], row, ch);
                    double d = TestObjects.DistanceToRay(s, dir, [20, -10, centerZ + 5]);
                    double expected = d < radius ? mu * 2 * Math.Sqrt(radius * radius - d * d) : 0;
                    Assert.Equal(expected, p[(view * g.Rows + row) * g.Channels + ch], 2e-6);
                    hits += expected > 0 ? 1 : 0;
                }
            }
        }
        Assert.True(hits > 1000);
    }

    [Fact]
    public void Output_is_view_major_rows_then_channels()
    {
        var phantom = new SheppLogan3D(80);
        HelicalGeometry g = TestObjects.Geometry(pitch: 1.0, viewsPerRotation: 7, rows: 3, rowSpacingMm: 5, channels: 11);
        var plan = new HelicalScanPlan(g, 5);
        float[] p = new AnalyticProjector().Project(phantom, plan);

        Assert.Equal(5 * 3 * 11, p.Length);
        (double[] s, double[] dir) = TestObjects.Ray(g, plan.ViewAngleRad[3], plan.ViewZMm[3], 2, 4);
        double expected = phantom.LineIntegral(s[0], s[1], s[2], dir[0], dir[1], dir[2]);
        Assert.Equal(expected, p[(3 * 3 + 2) * 11 + 4], 1e-5);
    }
}
