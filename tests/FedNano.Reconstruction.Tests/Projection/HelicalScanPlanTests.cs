using FedNano.Reconstruction.Projection;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Tests.Projection;

public class HelicalScanPlanTests
{
    [Theory]
    [InlineData(0.6)]
    [InlineData(1.0)]
    [InlineData(1.4)]
    public void Source_z_advances_by_pitch_times_collimation_per_rotation(double pitch)
    {
        HelicalGeometry s = GeometryPresets.Get("siemens-64").Geometry;
        var g = new HelicalGeometry(s.SourceToIsocenterMm, s.SourceToDetectorMm, s.DetectorShape, s.Channels, s.ChannelSpacingMm,
            s.Rows, s.RowSpacingMm, s.CentralChannel, s.CentralRow, s.ViewsPerRotation, pitch, 0.3, -17.0);
        var plan = new HelicalScanPlan(g, 3 * g.ViewsPerRotation);
        double collimation = g.Rows * g.RowSpacingMm * g.SourceToIsocenterMm / g.SourceToDetectorMm;

        Assert.Equal(-17.0, plan.ViewZMm[0], 12);
        Assert.Equal(0.3, plan.ViewAngleRad[0], 12);
        for (int v = 0; v + g.ViewsPerRotation < plan.Views; v += 97)
        {
            Assert.Equal(pitch * collimation, plan.ViewZMm[v + g.ViewsPerRotation] - plan.ViewZMm[v], 1e-9);
            Assert.Equal(2 * Math.PI, plan.ViewAngleRad[v + g.ViewsPerRotation] - plan.ViewAngleRad[v], 1e-9);
            Assert.Equal(pitch * collimation / g.ViewsPerRotation, plan.ViewZMm[v + 1] - plan.ViewZMm[v], 1e-9);
        }
    }

    [Theory]
    [InlineData("small", 10.0, 49.0)]
    [InlineData("siemens-64", -30.0, 30.0)]
    public void Plan_covers_every_slice_for_rebinning_interpolation_and_the_cone(string preset, double zStart, double zEnd)
    {
        HelicalGeometry g = GeometryPresets.Get(preset).Geometry;
        var plan = HelicalScanPlan.Cover(g, zStart, zEnd);
        double feed = g.TableFeedPerRotationMm;
        double wMax = g.Rows * g.RowSpacingMm / 2;
        double coneReach = wMax * (g.SourceToIsocenterMm + g.FieldOfViewDiameterMm / 2) / g.SourceToDetectorMm;

        Assert.Equal(g.StartAngleRad, plan.Geometry.StartAngleRad);
        Assert.Equal(plan.ViewZMm[0], plan.StartZMm);
        for (double z = zStart; z <= zEnd; z += 0.5)
        {
            Assert.True(plan.Covers(z));
            // 360LI: views one rotation below and above. Cone: every view whose rays can reach the slice.
            Assert.True(plan.ViewZMm[0] <= z - Math.Max(feed, coneReach));
            Assert.True(plan.ViewZMm[^1] >= z + Math.Max(feed, coneReach));
            // Single-slice rebinning: a full rotation of views with source z within ±feed/2.
            int nearby = plan.ViewZMm.Count(zs => Math.Abs(zs - z) <= feed / 2 + 1e-9);
            Assert.True(nearby >= g.ViewsPerRotation, $"z {z}: {nearby} views within feed/2");
        }
        // No more than two spare views beyond the margin.
        double span = zEnd - zStart + 2 * plan.MarginMm;
        Assert.InRange(plan.Views, span / feed * g.ViewsPerRotation, span / feed * g.ViewsPerRotation + 2);
        Assert.False(plan.Covers(zStart - 2 * feed));
    }

    [Fact]
    public void No_ray_reaches_beyond_the_plans_reach_and_rays_reach_just_inside_it()
    {
        // Rows of 8 mm make a wide cone; a one-slice disc fills a volume that lies inside the field of view.
        HelicalGeometry g = TestObjects.Geometry(pitch: 1.0, viewsPerRotation: 12);
        var plan = HelicalScanPlan.Cover(g, 0, 10);
        Assert.Equal(plan.ViewZMm[0] - HelicalScanPlan.ConeReachMm(g), plan.ReachZStartMm, 1e-9);
        Assert.Equal(plan.ViewZMm[^1] + HelicalScanPlan.ConeReachMm(g), plan.ReachZEndMm, 1e-9);
        var projector = new HelicalProjector();

        // The disc's interpolation support is its slice ± 1 mm.
        float[] beyondEnd = projector.Project(Disc(plan.ReachZEndMm + 1.01), plan);
        float[] beyondStart = projector.Project(Disc(plan.ReachZStartMm - 1.01), plan);
        float[] inside = projector.Project(Disc(plan.ReachZEndMm - 3), plan);

        Assert.All(beyondEnd, v => Assert.Equal(0f, v));
        Assert.All(beyondStart, v => Assert.Equal(0f, v));
        Assert.Contains(inside, v => v > 0);

        static CtVolume Disc(double zMm) => TestObjects.Cylinder(new VolumeGrid(36, 36, 1, 4.0, 1.0, zMm), 95, 0.02f, super: 1);
    }

    [Fact]
    public void Plan_for_a_volume_covers_its_slice_centres()
    {
        HelicalGeometry g = GeometryPresets.Get("small").Geometry;
        var grid = new VolumeGrid(256, 256, 40, 500.0 / 256, 1.25, -20);
        var plan = HelicalScanPlan.Cover(g, grid);
        Assert.True(plan.Covers(grid.ZMm(0)) && plan.Covers(grid.ZMm(grid.Nz - 1)));
        Assert.Equal(plan.ViewZMm[0], grid.ZMm(0) - plan.MarginMm, 1e-9);
    }

    [Fact]
    public void Axial_plan_is_one_rotation_at_the_middle_of_the_range()
    {
        HelicalGeometry small = GeometryPresets.Get("small").Geometry;
        HelicalGeometry axial = new(small.SourceToIsocenterMm, small.SourceToDetectorMm, small.DetectorShape, small.Channels,
            small.ChannelSpacingMm, small.Rows, small.RowSpacingMm, small.CentralChannel, small.CentralRow, small.ViewsPerRotation, 0.0);
        var plan = HelicalScanPlan.Cover(axial, 4, 6);

        Assert.True(plan.IsAxial);
        Assert.Equal(axial.ViewsPerRotation, plan.Views);
        Assert.All(plan.ViewZMm, z => Assert.Equal(5.0, z));
        Assert.Equal(2 * Math.PI * (plan.Views - 1) / plan.Views, plan.ViewAngleRad[^1], 12);
        Assert.True(plan.Covers(4) && plan.Covers(6));
        Assert.False(plan.Covers(5 + small.CollimationAtIsocenterMm / 2));
    }

    [Fact]
    public void Reversed_or_non_finite_ranges_are_rejected()
    {
        HelicalGeometry g = GeometryPresets.Get("small").Geometry;
        Assert.Throws<ArgumentException>(() => HelicalScanPlan.Cover(g, 10, 5));
        Assert.Throws<ArgumentException>(() => HelicalScanPlan.Cover(g, double.NaN, 5));
        Assert.Throws<ArgumentException>(() => HelicalScanPlan.Cover(g, 0, 1e9));
        Assert.Throws<ArgumentException>(() => new HelicalScanPlan(g, 0));
    }
}
