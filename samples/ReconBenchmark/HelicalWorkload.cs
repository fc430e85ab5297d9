using System.Globalization;
using FedNano.Reconstruction;
using FedNano.Reconstruction.Projection;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Samples.ReconBenchmark;

/// <summary>
/// 3D helical forward projection: one rotation of siemens-64 (1152 views, pitch 0.8, the central
/// <c>rows</c> detector rows × 736 channels) through a 512 × 512 × Nz voxelised Shepp–Logan volume of 0.7 mm voxels
/// whose z range holds every ray of the rotation (so no ray is cut short and every sample is inside the volume).
/// </summary>
internal static class HelicalWorkload
{
    /// <summary>Isotropic voxel size (mm).</summary>
    public const double VoxelMm = BenchmarkSlice.PixelMm;

    /// <summary>Views of the untimed warm-up projection (enough to compile every path).</summary>
    public const int WarmUpViews = 32;

    /// <summary>Largest relative L1 difference of view 0 from the exact line integrals.</summary>
    public const double Tolerance = 0.03;

    public static bool Run(int reps, int rows)
    {
        var slice = new BenchmarkSlice();
        HelicalGeometry scanner = slice.Scanner;
        if (rows < 1 || rows > scanner.Rows)
        {
            throw new ArgumentException($"The helical projection takes 1..{scanner.Rows} rows (got {rows}).", nameof(rows));
        }
        // The central rows of the preset, keeping its row pitch and pitch factor (table feed scales with the rows).
        var geometry = new HelicalGeometry(scanner.SourceToIsocenterMm, scanner.SourceToDetectorMm, scanner.DetectorShape,
            scanner.Channels, scanner.ChannelSpacingMm, rows, scanner.RowSpacingMm, scanner.CentralChannel, (rows + 1) / 2.0,
            scanner.ViewsPerRotation, scanner.PitchFactor);
        var plan = new HelicalScanPlan(geometry, geometry.ViewsPerRotation);
        VolumeGrid grid = VolumeFor(geometry, plan);
        ResultLines.Write("helical.describe", string.Create(CultureInfo.InvariantCulture,
            $"{plan.Views} views × {rows} rows × {geometry.Channels} channels, pitch {geometry.PitchFactor}, table feed {geometry.TableFeedPerRotationMm:F1} mm; volume {grid.Nx}×{grid.Ny}×{grid.Nz} at {VoxelMm} mm, z {grid.ZMm(0):F1}..{grid.ZMm(grid.Nz - 1):F1} mm"));

        CtVolume? volume = null;
        CallTiming voxelise = CallTiming.Measure(() => volume = slice.Phantom.Voxelize(grid, supersample: 1));

        var projector = new HelicalProjector();
        _ = projector.Project(volume!, geometry, new HelicalScanPlan(geometry, WarmUpViews));
        float[] projections = [];
        var timings = new List<CallTiming>();
        for (int rep = 0; rep < reps; rep++)
        {
            projections = [];
            timings.Add(CallTiming.Measure(() => projections = projector.Project(volume!, geometry, plan)));
        }
        OurWorker.Report("helical", timings);
        ResultLines.Write("helical.samples", (double)JosephSampleCount.InPlane(geometry, plan, grid) * rows);
        ResultLines.Write("note", string.Create(CultureInfo.InvariantCulture,
            $"{projections.Length:N0} rays; voxelising the volume took {voxelise.WallSeconds:F1} s (not timed); {Environment.ProcessorCount} threads"));

        // View 0 against the exact line integrals of the same rays (the volume holds the phantom wherever they go).
        float[] exact = new AnalyticProjector().Project(slice.Phantom, geometry, new HelicalScanPlan(geometry, 1));
        double error = SinogramComparison.RelativeL1(projections.AsSpan(0, exact.Length), exact);
        ResultLines.Write("check", string.Create(CultureInfo.InvariantCulture,
            $"view 0 ({rows} rows): relative L1 difference from the exact line integrals {error:P2} (tolerance {Tolerance:P0})"));
        return error <= Tolerance;
    }

    /// <summary>
    /// 512² at 0.7 mm, with slices from the lowest to the highest z any ray reaches: a ray through row offset w
    /// reaches z_s + w·ℓ/D at in-plane distance ℓ, and ℓ ≤ R + half the padded grid's diagonal inside the grid.
    /// </summary>
    private static VolumeGrid VolumeFor(HelicalGeometry geometry, HelicalScanPlan plan)
    {
        int n = BenchmarkSlice.ImageSize;
        double halfDiagonal = Math.Sqrt(2) * (n + 1) / 2.0 * VoxelMm;
        double maxRowOffset = Enumerable.Range(0, geometry.Rows).Max(r => Math.Abs(geometry.RowOffsetMm(r)));
        double reach = maxRowOffset * (geometry.SourceToIsocenterMm + halfDiagonal) / geometry.SourceToDetectorMm;
        double zLow = plan.ViewZMm[0] - reach, zHigh = plan.ViewZMm[plan.Views - 1] + reach;
        int slices = (int)Math.Ceiling((zHigh - zLow) / VoxelMm) + 1;
        double first = (zLow + zHigh) / 2 - (slices - 1) / 2.0 * VoxelMm;
        return new VolumeGrid(n, n, slices, VoxelMm, VoxelMm, first);
    }
}
