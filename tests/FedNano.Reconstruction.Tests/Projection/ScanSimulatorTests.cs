using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Projection;
using FedNano.Reconstruction.Scans;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Tests.Projection;

public class ScanSimulatorTests
{
    private static readonly ScanMetadata Metadata = new("PHANTOM^TEST", "P001");

    [Fact]
    public void Unmeasured_rows_of_a_sparse_pattern_are_zero_and_measured_rows_carry_data()
    {
        HelicalGeometry g = TestObjects.Geometry(rows: 8, rowSpacingMm: 2.0, pitch: 1.0, viewsPerRotation: 24, startZMm: 123);
        var pattern = SparseRowPattern.Parse("2x2g2", g.Rows);
        var grid = new VolumeGrid(32, 32, 6, 5.0, 2.0, -5.0);
        CtVolume volume = TestObjects.Cylinder(grid, 60, 0.02f, super: 1);

        ProjectionScan scan = new ScanSimulator().Simulate(volume, g, pattern, 0.0192, new NoiseOptions(1e4, 1.0, Seed: 5), Metadata);

        var plan = HelicalScanPlan.Cover(g, grid);
        Assert.Equal(plan.Views, scan.Views);
        Assert.Equal(plan.StartZMm, scan.Geometry.StartZMm);
        Assert.Equal(plan.ViewZMm, scan.ViewZMm);
        Assert.Equal(plan.ViewAngleRad, scan.ViewAngleRad);
        Assert.Same(pattern, scan.RowPattern);
        Assert.NotNull(scan.PhotonsPerChannel);
        for (int view = 0; view < scan.Views; view++)
        {
            Span<float> data = scan.View(view);
            for (int row = 0; row < g.Rows; row++)
            {
                Span<float> line = data.Slice(row * g.Channels, g.Channels);
                if (pattern.IsActive(row))
                {
                    // Noise touches every measured ray, even those that miss the object.
                    Assert.True(line.ToArray().Count(v => v != 0) > g.Channels / 2);
                }
                else
                {
                    Assert.True(line.ToArray().All(v => v == 0), $"view {view} row {row} is not zero");
                }
            }
        }
    }

    [Fact]
    public void Phantom_scan_holds_exact_line_integrals_on_measured_rows_and_records_the_phantoms_water()
    {
        GeometryPreset preset = GeometryPresets.Get("small-sparse");
        HelicalGeometry small = preset.Geometry;
        var axial = new HelicalGeometry(small.SourceToIsocenterMm, small.SourceToDetectorMm, small.DetectorShape, small.Channels,
            small.ChannelSpacingMm, small.Rows, small.RowSpacingMm, small.CentralChannel, small.CentralRow, 36, 0.0);
        var phantom = new SheppLogan3D(90, 0.02);

        ProjectionScan scan = new ScanSimulator().Simulate(phantom, 10.0, -5.0, 5.0, axial, preset.RowPattern, null, Metadata);

        var plan = HelicalScanPlan.Cover(axial, -5.0, 5.0);
        float[] exact = new AnalyticProjector().Project(phantom, plan, 10.0);
        Assert.Equal(0.02, scan.MuWaterPerMm);
        Assert.Null(scan.PhotonsPerChannel);
        for (int i = 0; i < exact.Length; i++)
        {
            int row = i / axial.Channels % axial.Rows;
            Assert.Equal(preset.RowPattern.IsActive(row) ? exact[i] : 0f, scan.LineIntegrals[i]);
        }
    }

    [Fact]
    public void Scan_along_a_given_plan_holds_the_projection_of_the_volume_in_HU()
    {
        // A plan covering only the middle of a taller volume (the extra slices feed the outer views' cones).
        HelicalGeometry g = TestObjects.Geometry(rows: 4, rowSpacingMm: 2.0, pitch: 1.0, viewsPerRotation: 10);
        var grid = new VolumeGrid(24, 24, 30, 6.0, 2.0, -29.0);
        CtVolume mu = TestObjects.Cylinder(grid, 50, 0.025f, super: 2);
        var plan = HelicalScanPlan.Cover(g, -4, 4);

        ProjectionScan scan = new ScanSimulator().Simulate(mu.ToHounsfield(0.02), plan, SparseRowPattern.Dense(g.Rows), 0.02, null, Metadata);

        float[] expected = new HelicalProjector().Project(mu, plan);
        Assert.Same(plan.Geometry, scan.Geometry);
        Assert.Equal(0.02, scan.MuWaterPerMm);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], scan.LineIntegrals[i], 1e-4);
        }
    }

    [Fact]
    public void Pattern_for_another_detector_is_rejected()
    {
        var grid = new VolumeGrid(8, 8, 2, 4.0, 2.0, 0);
        var ex = Assert.Throws<ArgumentException>(() => new ScanSimulator().Simulate(
            CtVolume.Zeros(grid, VolumeUnit.AttenuationPerMm), TestObjects.Geometry(rows: 8), SparseRowPattern.Dense(16), 0.0192, null, Metadata));
        Assert.Contains("16 rows", ex.Message, StringComparison.Ordinal);
    }
}
