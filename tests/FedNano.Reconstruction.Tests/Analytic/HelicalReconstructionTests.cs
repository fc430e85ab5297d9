using FedNano.Reconstruction.Analytic;
using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Volumes;
using Xunit.Abstractions;

namespace FedNano.Reconstruction.Tests.Analytic;

public class HelicalReconstructionTests(ITestOutputHelper output)
{
    private static readonly SheppLogan3D Phantom = new(100.0);
    private static readonly ImageGrid2D Grid = new(128, 1.8);
    private static readonly double[] Slices = [-24.0, 0.0];

    private static Lazy<Scans.ProjectionScan> DenseScan { get; } = new(() =>
    {
        return AnalyticHelical.Scan(Phantom, TestGeometry.Compact, TestGeometry.Dense, Slices[0], Slices[^1]);
    });

    private static Lazy<Scans.ProjectionScan> SparseScan { get; } = new(() =>
    {
        return AnalyticHelical.Scan(Phantom, TestGeometry.Compact, TestGeometry.Sparse, Slices[0], Slices[^1]);
    });

    private double MeanError(Scans.ProjectionScan scan, AnalyticReconstructionOptions options, double z)
    {
        var reconstructor = new HelicalReconstructor(scan, options);
        float[] mu = reconstructor.ReconstructSliceAttenuation(z, Grid);
        float[] hu = mu.Select(m => (float)(1000 * (m - Phantom.MuWaterPerMm) / Phantom.MuWaterPerMm)).ToArray();
        double error = AnalyticHelical.InteriorMeanAbsErrorHu(Phantom, Grid, z, hu, 4.0, out int pixels);
        output.WriteLine($"{options.Method} {options.GapFilling} z={z}: mean |error| {error:F2} HU over {pixels} interior pixels");
        return error;
    }

    [Theory]
    [InlineData(-24.0)]
    [InlineData(0.0)]
    public void Ssr_fbp_of_a_full_detector_helical_shepp_logan_is_within_5_hu_in_the_interior(double z)
    {
        double error = MeanError(DenseScan.Value, new AnalyticReconstructionOptions(AnalyticMethod.SsrFbp), z);
        Assert.True(error < 5.0, $"mean interior error {error:F2} HU");
    }

    [Theory]
    [InlineData(AnalyticMethod.Li360)]
    [InlineData(AnalyticMethod.Li180)]
    public void Helical_interpolation_of_a_full_detector_scan_is_within_5_hu_in_the_interior(AnalyticMethod method)
    {
        double error = MeanError(DenseScan.Value, new AnalyticReconstructionOptions(method), -24.0);
        Assert.True(error < 5.0, $"mean interior error {error:F2} HU");
    }

    // Conjugate rays of a quarter-offset detector fall between channels and must be interpolated in-plane, which
    // costs more than the gap filling gains; on a centred detector they land on channels.
    private static Lazy<Scans.ProjectionScan> CentredDenseScan { get; } = new(() =>
        AnalyticHelical.Scan(Phantom, TestGeometry.CompactCentred, TestGeometry.Dense, -24.0, -24.0));

    private static Lazy<Scans.ProjectionScan> CentredSparseScan { get; } = new(() =>
        AnalyticHelical.Scan(Phantom, TestGeometry.CompactCentred, TestGeometry.Sparse, -24.0, -24.0));

    private double RmseAgainstDenseHu(AnalyticReconstructionOptions options, double z)
    {
        float[] dense = new HelicalReconstructor(CentredDenseScan.Value, options with { GapFilling = GapFilling.Linear }).ReconstructSliceAttenuation(z, Grid);
        float[] sparse = new HelicalReconstructor(CentredSparseScan.Value, options).ReconstructSliceAttenuation(z, Grid);
        double sum = 0;
        for (int p = 0; p < dense.Length; p++)
        {
            double d = 1000 * (sparse[p] - dense[p]) / Phantom.MuWaterPerMm;
            sum += d * d;
        }
        double rmse = Math.Sqrt(sum / dense.Length);
        output.WriteLine($"{options.Method} {options.GapFilling} z={z}: sparse vs dense RMSE {rmse:F2} HU");
        return rmse;
    }

    [Fact]
    public void Sparse_rows_cost_accuracy_and_complementary_rays_recover_part_of_it()
    {
        // z = -24 mm cuts the small ellipsoids (2 mm thick in z) near z = -25 mm, where z interpolation matters.
        const double z = -24.0;
        double linear = RmseAgainstDenseHu(new AnalyticReconstructionOptions(AnalyticMethod.SsrFbp, GapFilling: GapFilling.Linear), z);
        double complementary = RmseAgainstDenseHu(new AnalyticReconstructionOptions(AnalyticMethod.SsrFbp, GapFilling: GapFilling.Complementary), z);
        Assert.True(linear > 1.0, $"sparse rows should visibly change the slice (RMSE {linear:F2} HU against the full detector)");
        Assert.True(complementary < linear, $"complementary {complementary:F2} HU should beat linear {linear:F2} HU");
    }

    [Fact]
    public void Rebinned_sinogram_marks_samples_filled_across_gaps()
    {
        var sparse = new SingleSliceRebinner(SparseScan.Value).Rebin(0.0);
        var dense = new SingleSliceRebinner(DenseScan.Value).Rebin(0.0);
        double sparseMeasured = sparse.MeasuredFraction!.Average();
        double denseMeasured = dense.MeasuredFraction!.Average();
        output.WriteLine($"measured fraction dense {denseMeasured:P1}, sparse {sparseMeasured:P1}");
        Assert.True(denseMeasured > 0.85); // rays beyond the outer rows at wide fan angles count as extrapolated
        Assert.InRange(sparseMeasured, 0.2, 0.8);
    }

    [Fact]
    public void Volume_reconstruction_writes_hu_at_the_requested_slice_positions()
    {
        var grid = new VolumeGrid(64, 64, 2, 3.6, 24.0, -24.0);
        var volume = new HelicalReconstructor(DenseScan.Value).Reconstruct(grid);
        Assert.Equal(VolumeUnit.Hounsfield, volume.Unit);
        Assert.Equal(-24.0, volume.Grid.ZMm(0));
        // Centre of the phantom at z = 0 is brain (density 1.02 → +20 HU); outside is air.
        float centre = volume.Slice(1)[32 * 64 + 32];
        float corner = volume.Slice(1)[0];
        output.WriteLine($"centre {centre} corner {corner}");
        Assert.InRange(centre, 0, 40);
        Assert.InRange(corner, -1040, -960);
    }

    [Fact]
    public void Slices_outside_the_scanned_range_are_rejected_with_the_supported_range()
    {
        var reconstructor = new HelicalReconstructor(DenseScan.Value);
        var ex = Assert.Throws<ArgumentException>(() => reconstructor.Reconstruct(new VolumeGrid(32, 32, 1, 4, 1, 80.0)));
        Assert.Contains("outside the range", ex.Message, StringComparison.Ordinal);
    }
}

public class CurvedToFlatRebinnerTests
{
    [Fact]
    public void Flat_rebinned_scan_reconstructs_like_the_curved_original()
    {
        var phantom = new SheppLogan3D(100.0);
        var curved = AnalyticHelical.Scan(phantom, TestGeometry.Compact, TestGeometry.Dense, 0.0, 0.0);
        var flat = CurvedToFlatRebinner.Rebin(curved);
        Assert.Equal(DetectorShape.Flat, flat.Geometry.DetectorShape);

        var grid = new ImageGrid2D(96, 2.4);
        float[] a = new HelicalReconstructor(curved).ReconstructSliceAttenuation(0.0, grid);
        float[] b = new HelicalReconstructor(flat).ReconstructSliceAttenuation(0.0, grid);
        double error = AnalyticHelical.InteriorMeanAbsErrorHu(phantom, grid, 0.0,
            b.Select(m => (float)(1000 * (m - phantom.MuWaterPerMm) / phantom.MuWaterPerMm)).ToArray(), 4.0, out _);
        double diff = 0;
        for (int p = 0; p < a.Length; p++)
        {
            diff += Math.Abs(a[p] - b[p]);
        }
        double meanDiffHu = 1000 * diff / a.Length / phantom.MuWaterPerMm;
        Assert.True(error < 5.0, $"flat-detector interior error {error:F2} HU");
        Assert.True(meanDiffHu < 15.0, $"curved vs flat mean difference {meanDiffHu:F2} HU");
    }

    [Fact]
    public void A_flat_scan_cannot_be_rebinned_again()
    {
        var g = CurvedToFlatRebinner.FlatGeometry(GeometryPresets.Get("small").Geometry);
        Assert.Throws<ArgumentException>(() => CurvedToFlatRebinner.FlatGeometry(g));
    }
}
