using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Projection;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Tests.Projection;

public class HelicalProjectorTests
{
    private const float Mu = 0.02f;

    [Theory]
    [InlineData(DetectorShape.Curved)]
    [InlineData(DetectorShape.Flat)]
    public void Cylinder_projection_matches_analytic_chord_within_1_percent_for_central_and_oblique_rows(DetectorShape shape)
    {
        // 2 mm voxels, radius 60 mm: chords through the inner 90 % of the radius are smooth enough for 1 %.
        const double radius = 60;
        var grid = new VolumeGrid(80, 80, 24, 2.0, 2.0, -23.0);
        CtVolume volume = TestObjects.Cylinder(grid, radius, Mu);
        HelicalGeometry g = TestObjects.Geometry(shape);
        var plan = new HelicalScanPlan(g, 12);
        float[] p = new HelicalProjector().Project(volume, plan);

        int compared = 0;
        for (int view = 0; view < plan.Views; view++)
        {
            for (int row = 0; row < g.Rows; row++)
            {
                for (int ch = 0; ch < g.Channels; ch++)
                {
                    (double[] s, double[] dir) = TestObjects.Ray(g, plan.ViewAngleRad[view], plan.ViewZMm[view], row, ch);
                    // In-plane distance of the ray from the axis, and the 3D chord through the infinite cylinder.
                    double inPlane = Math.Sqrt(dir[0] * dir[0] + dir[1] * dir[1]);
                    double d = Math.Abs(s[0] * dir[1] - s[1] * dir[0]) / inPlane;
                    if (d > 0.9 * radius)
                    {
                        continue;
                    }
                    double expected = Mu * 2 * Math.Sqrt(radius * radius - d * d) / inPlane;
                    float actual = p[(view * g.Rows + row) * g.Channels + ch];
                    Assert.True(Math.Abs(actual - expected) <= 0.01 * expected,
                        $"view {view} row {row} channel {ch}: {actual} vs chord {expected}");
                    compared++;
                }
            }
        }
        Assert.True(compared > 2000, $"only {compared} rays compared");
    }

    [Theory]
    [InlineData(DetectorShape.Curved)]
    [InlineData(DetectorShape.Flat)]
    public void Sphere_projection_matches_analytic_chord_within_2_percent_and_unbiased_including_oblique_rays(DetectorShape shape)
    {
        // An off-centre sphere seen by a 1.5-rotation helix: rows far from the centre cross it obliquely. Rays within
        // 0.75 radius of the centre: closer to the edge the 2 mm voxelisation dominates the error.
        const double radius = 40, cx = 12, cy = -7, cz = 3;
        var grid = new VolumeGrid(64, 64, 64, 2.0, 2.0, -60.0);
        CtVolume volume = TestObjects.Sphere(grid, cx, cy, cz, radius, Mu);
        HelicalGeometry g = TestObjects.Geometry(shape, pitch: 1.0, viewsPerRotation: 16, startZMm: -12);
        var plan = new HelicalScanPlan(g, 24);
        float[] p = new HelicalProjector().Project(volume, plan);

        int compared = 0, oblique = 0;
        double bias = 0;
        for (int view = 0; view < plan.Views; view++)
        {
            for (int row = 0; row < g.Rows; row++)
            {
                for (int ch = 0; ch < g.Channels; ch++)
                {
                    (double[] s, double[] dir) = TestObjects.Ray(g, plan.ViewAngleRad[view], plan.ViewZMm[view], row, ch);
                    double d = TestObjects.DistanceToRay(s, dir, [cx, cy, cz]);
                    if (d > 0.75 * radius)
                    {
                        continue;
                    }
                    double expected = Mu * 2 * Math.Sqrt(radius * radius - d * d);
                    float actual = p[(view * g.Rows + row) * g.Channels + ch];
                    Assert.True(Math.Abs(actual - expected) <= 0.02 * expected,
                        $"view {view} row {row} channel {ch}: {actual} vs chord {expected}");
                    bias += (actual - expected) / expected;
                    compared++;
                    oblique += Math.Abs(dir[2]) > 0.02 ? 1 : 0;
                }
            }
        }
        Assert.True(compared > 1000 && oblique > 200, $"{compared} rays compared, {oblique} oblique");
        // Voxelisation and interpolation scatter single rays; a systematic error (step length, slope) shows in the mean.
        Assert.InRange(bias / compared, -0.003, 0.003);
    }

    [Fact]
    public void Joseph_agrees_with_exact_line_integrals_of_a_voxelised_Shepp_Logan()
    {
        // Phantom of radius 100 mm centred at z = 0; a slab around its feature layer z = −25 mm is voxelised at
        // 1.75 mm x 1.5 mm (2x2x2 sub-samples) and scanned axially at z = −25 mm, where every ray stays in the slab.
        var phantom = new SheppLogan3D(100);
        var grid = new VolumeGrid(112, 112, 21, 1.75, 1.5, -40.0);
        CtVolume volume = TestObjects.Voxelise(phantom, grid, 0.0);
        HelicalGeometry g = TestObjects.Geometry(rows: 16, rowSpacingMm: 1.0947, channels: 96, viewsPerRotation: 16, startZMm: -25);
        var plan = new HelicalScanPlan(g, 16);

        float[] joseph = new HelicalProjector().Project(volume, plan);
        float[] exact = new AnalyticProjector().Project(phantom, plan);

        float max = exact.Max();
        var errors = new List<double>();
        for (int i = 0; i < exact.Length; i++)
        {
            if (exact[i] > 0.2 * max)
            {
                errors.Add(Math.Abs(joseph[i] - exact[i]) / exact[i]);
            }
        }
        errors.Sort();
        double median = errors[errors.Count / 2];
        double within2Percent = errors.Count(e => e <= 0.02) / (double)errors.Count;
        // Voxelisation blurs the 2:1 skull edge; tangential rays there carry the largest errors.
        Assert.True(errors.Count > 15000, $"{errors.Count} rays compared");
        Assert.True(median < 0.006, $"median relative error {median:P2}");
        Assert.True(within2Percent > 0.9, $"{within2Percent:P1} of rays within 2 %");
    }

    [Fact]
    public void Projection_is_linear()
    {
        var grid = new VolumeGrid(40, 36, 12, 3.0, 2.5, -14.0);
        CtVolume a = TestObjects.Cylinder(grid, 45, 0.02f, super: 2);
        CtVolume b = TestObjects.Sphere(grid, -10, 15, 2, 20, 0.05f, super: 1);
        var sum = new CtVolume(grid, a.Values.Zip(b.Values, (x, y) => 2 * x + y).ToArray(), VolumeUnit.AttenuationPerMm);
        HelicalGeometry g = TestObjects.Geometry(pitch: 0.8, viewsPerRotation: 10, startZMm: -8);
        var plan = new HelicalScanPlan(g, 15);
        var projector = new HelicalProjector();

        float[] pa = projector.Project(a, plan), pb = projector.Project(b, plan), pSum = projector.Project(sum, plan);

        Assert.Contains(pSum, v => v > 1);
        for (int i = 0; i < pSum.Length; i++)
        {
            Assert.Equal(2 * pa[i] + pb[i], pSum[i], 1e-5 * (1 + Math.Abs(pSum[i])));
        }
    }

    [Fact]
    public void Rays_that_miss_the_volume_are_exactly_zero()
    {
        // A 40 mm volume (half-diagonal under 31 mm with its one-voxel edge ramp) in a 220 mm field of view.
        var grid = new VolumeGrid(20, 20, 10, 2.0, 2.0, -9.0);
        CtVolume volume = TestObjects.Cylinder(grid, 100, Mu, super: 1);
        HelicalGeometry g = TestObjects.Geometry(rows: 4, rowSpacingMm: 1.0);
        var projector = new HelicalProjector();

        float[] inPlane = projector.Project(volume, new HelicalScanPlan(g, 12));
        int hits = 0;
        for (int i = 0; i < inPlane.Length; i++)
        {
            int ch = i % g.Channels;
            double distance = g.SourceToIsocenterMm * Math.Abs(Math.Sin(g.ChannelAngleRad(ch)));
            if (distance > 31.5)
            {
                Assert.Equal(0f, inPlane[i]);
            }
            else if (distance < 18)
            {
                Assert.True(inPlane[i] > 0);
                hits++;
            }
        }
        Assert.True(hits > 100);

        // Source 200 mm above the volume: the whole cone misses it.
        float[] above = projector.Project(volume, new HelicalScanPlan(HelicalScanPlan.WithStart(g, 200, 0), 12));
        Assert.All(above, v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(0.0, 40.0, 0.0)]
    [InlineData(Math.PI / 2, 0.0, 40.0)]
    public void Object_on_the_positive_transverse_side_and_above_appears_at_positive_fan_angle_and_row(
        double angleRad, double x, double y)
    {
        // Frame convention check independent of the projector's own formulas: for φ = 0 the transverse axis e is +x,
        // for φ = π/2 it is +y; positive row offsets look towards +z.
        const double z = 6;
        var grid = new VolumeGrid(64, 64, 48, 2.0, 0.5, -5.0);
        CtVolume volume = TestObjects.Sphere(grid, x, y, z, 6, 0.05f);
        HelicalGeometry g = HelicalScanPlan.WithStart(TestObjects.Geometry(rows: 16, rowSpacingMm: 2.0), 0, angleRad);
        var plan = new HelicalScanPlan(g, 1);
        float[] joseph = new HelicalProjector().Project(volume, plan);
        float[] exact = new AnalyticProjector().Project(
            new SheppLogan3D([new Ellipsoid(x / 6, y / 6, z / 6, 1, 1, 1, 0, 1)], 6, 0.05), plan);

        double gamma = Math.Atan(40.0 / g.SourceToIsocenterMm);
        double w = z * g.SourceToDetectorMm / Math.Sqrt(40.0 * 40.0 + g.SourceToIsocenterMm * g.SourceToIsocenterMm);
        foreach (float[] p in new[] { joseph, exact })
        {
            int best = Array.IndexOf(p, p.Max());
            int row = best / g.Channels, ch = best % g.Channels;
            Assert.InRange(g.ChannelAngleRad(ch), gamma - 1.5 * g.FanAngleIncrementRad, gamma + 1.5 * g.FanAngleIncrementRad);
            Assert.InRange(g.RowOffsetMm(row), w - 1.5 * g.RowSpacingMm, w + 1.5 * g.RowSpacingMm);
        }
    }

    [Fact]
    public void Hounsfield_volume_projects_as_its_attenuation()
    {
        var grid = new VolumeGrid(24, 24, 8, 4.0, 2.0, -7.0);
        CtVolume mu = TestObjects.Cylinder(grid, 40, 0.019f, super: 2);
        CtVolume hu = mu.ToHounsfield(0.0192);
        var plan = new HelicalScanPlan(TestObjects.Geometry(rows: 4, rowSpacingMm: 1.0), 6);
        var projector = new HelicalProjector(new ProjectorOptions(MuWaterPerMm: 0.0192));

        float[] fromMu = projector.Project(mu, plan), fromHu = projector.Project(hu, plan);

        for (int i = 0; i < fromMu.Length; i++)
        {
            Assert.Equal(fromMu[i], fromHu[i], 1e-4);
        }
    }

    [Fact]
    public void Volume_reaching_the_source_circle_is_rejected()
    {
        var grid = new VolumeGrid(400, 400, 2, 3.0, 1.0, 0);
        var ex = Assert.Throws<ArgumentException>(() =>
            new HelicalProjector().Project(CtVolume.Zeros(grid, VolumeUnit.AttenuationPerMm), new HelicalScanPlan(TestObjects.Geometry(), 1)));
        Assert.Contains("source circle", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Progress_reaches_the_view_count_and_cancellation_stops_the_projection()
    {
        var grid = new VolumeGrid(16, 16, 4, 4.0, 2.0, -3.0);
        CtVolume volume = TestObjects.Cylinder(grid, 20, Mu, super: 1);
        var plan = new HelicalScanPlan(TestObjects.Geometry(rows: 2, rowSpacingMm: 1.0), 37);
        var reports = new List<int>();
        new HelicalProjector().Project(volume, plan, new SynchronousProgress(reports));
        Assert.Equal(37, reports.Max());

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new HelicalProjector().Project(volume, plan, null, cancelled.Token));
    }

    [Fact]
    public void Plane_clipping_keeps_exactly_the_planes_inside_the_padded_range()
    {
        var random = new Random(5);
        for (int trial = 0; trial < 2000; trial++)
        {
            double c0 = random.NextDouble() * 400 - 200, slope = (random.NextDouble() - 0.5) * (trial % 3 == 0 ? 1e-9 : 3);
            double limit = 1 + random.Next(100);
            int first = random.Next(10), last = first + random.Next(200);
            int f = first, l = last;
            bool any = HelicalProjector.ClipToRange(c0, slope, limit, ref f, ref l);
            for (int a = first; a <= last; a++)
            {
                double c = c0 + a * slope;
                bool inside = c >= 0 && c < limit;
                Assert.Equal(inside, any && a >= f && a <= l);
            }
        }
    }

    /// <summary>Records reports on the reporting thread (Progress&lt;T&gt; would post them asynchronously).</summary>
    private sealed class SynchronousProgress(List<int> reports) : IProgress<int>
    {
        public void Report(int value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
