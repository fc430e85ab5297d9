using System.Globalization;
using FedNano.Reconstruction.Analytic;
using FedNano.Reconstruction.Projection;
using FedNano.Reconstruction.Torch;

namespace FedNano.Samples.ReconBenchmark;

/// <summary>Our 2D measurements on <see cref="BenchmarkSlice"/>: one untimed warm-up call, then timed repetitions.</summary>
internal static class SliceWorkloads
{
    /// <summary>Largest relative L1 difference of Joseph's 512² slice projection from the exact line integrals.</summary>
    public const double JosephTolerance = 0.02;

    /// <summary>Exact (analytic) line integrals of the phantom for the 1152 × 736 fan: what ctsim phm2pj computes.</summary>
    public static bool AnalyticProjection(int reps)
    {
        var slice = new BenchmarkSlice();
        var projector = new AnalyticProjector();
        float[] sinogram = projector.Project(slice.Phantom, slice.SingleRow, slice.Plan);
        var timings = new List<CallTiming>();
        for (int rep = 0; rep < reps; rep++)
        {
            timings.Add(CallTiming.Measure(() => sinogram = projector.Project(slice.Phantom, slice.SingleRow, slice.Plan)));
        }
        OurWorker.Report("analytic", timings);
        ResultLines.Write("note", $"{sinogram.Length:N0} rays, {Environment.ProcessorCount} threads");
        // The ray through the centre of view 0 crosses the skull twice and the brain: its value is known in closed form.
        double centralRay = slice.Phantom.LineIntegral(0, slice.Fan.SourceToIsocenterMm, 0, 0, -1, 0);
        int channel = (int)Math.Round(slice.Fan.CentralChannel - 1);
        double off = Math.Abs(slice.Fan.ChannelAngleRad(channel)) * slice.Fan.SourceToIsocenterMm;
        ResultLines.Write("check", string.Create(CultureInfo.InvariantCulture,
            $"{sinogram.Length} line integrals, max {sinogram.Max():F3}; nearest-to-centre ray of view 0 {sinogram[channel]:F4} (centre ray {centralRay:F4}, {off:F2} mm away)"));
        return sinogram.All(float.IsFinite) && Math.Abs(sinogram[channel] - centralRay) < 0.01 * centralRay;
    }

    /// <summary>Fan-beam FBP (Ram-Lak) of the exact sinogram into 512² at 0.7 mm: filter, backprojection, total.</summary>
    public static bool FilteredBackprojection(int reps)
    {
        TorchRuntime.Initialize();
        var slice = new BenchmarkSlice();
        float[] sinogram = slice.ExactSinogram();
        FanBeamFbp? fbp = null;
        CallTiming setup = CallTiming.Measure(() => fbp = new FanBeamFbp(slice.Fan, slice.Grid));
        float[] filtered = fbp!.Filter(sinogram);
        float[] image = FanBeamBackprojector.Backproject(slice.Fan, filtered, slice.Grid);
        var filterTimes = new List<CallTiming>();
        var backprojectionTimes = new List<CallTiming>();
        for (int rep = 0; rep < reps; rep++)
        {
            filterTimes.Add(CallTiming.Measure(() => filtered = fbp.Filter(sinogram)));
            backprojectionTimes.Add(CallTiming.Measure(() => image = FanBeamBackprojector.Backproject(slice.Fan, filtered, slice.Grid)));
        }
        OurWorker.Report("filter", filterTimes);
        OurWorker.Report("backprojection", backprojectionTimes);
        ResultLines.Write("note", string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} threads (libtorch: {TorchSharp.torch.get_num_threads()}); building the FanBeamFbp (ramp kernel) took {setup.WallSeconds:F3} s, once per geometry, not timed"));
        OurWorker.Report("fbp", filterTimes.Zip(backprojectionTimes, (f, b) =>
            new CallTiming(f.WallSeconds + b.WallSeconds, f.CpuSeconds + b.CpuSeconds, f.AllocatedBytes + b.AllocatedBytes)).ToList());

        // Brain at the centre (Shepp–Logan 1.02 μw = 20 HU) and the ellipse above it (1.03 μw = 30 HU in this plane).
        SliceRoi[] rois =
        [
            new("centre, r = 10 mm", 0, 0, 10),
            new("upper ellipse, r = 8 mm", 0, 0.35 * BenchmarkSlice.PhantomRadiusMm, 8),
        ];
        bool ok = true;
        var checks = new List<string>();
        foreach (SliceRoi roi in rois)
        {
            checks.Add(roi.Check(image, slice.Grid, slice.Phantom, out bool roiOk));
            ok &= roiOk;
        }
        ResultLines.Write("check", string.Join("; ", checks) + $" (tolerance ±{SliceRoi.ToleranceHu} HU)");
        return ok && image.All(float.IsFinite);
    }

    /// <summary>Joseph forward projection of the voxelised 512² slice through the same 1152 × 736 fan (1 row, pitch 0).</summary>
    public static bool JosephProjection(int reps)
    {
        var slice = new BenchmarkSlice();
        var volume = slice.SliceVolume();
        var projector = new HelicalProjector();
        float[] sinogram = projector.Project(volume, slice.SingleRow, slice.Plan);
        var timings = new List<CallTiming>();
        for (int rep = 0; rep < reps; rep++)
        {
            timings.Add(CallTiming.Measure(() => sinogram = projector.Project(volume, slice.SingleRow, slice.Plan)));
        }
        OurWorker.Report("joseph2d", timings);
        ResultLines.Write("note", $"{sinogram.Length:N0} rays, {Environment.ProcessorCount} threads");
        ResultLines.Write("joseph2d.samples", (double)JosephSampleCount.InPlane(slice.SingleRow, slice.Plan, volume.Grid));
        double error = SinogramComparison.RelativeL1(sinogram, slice.ExactSinogram());
        ResultLines.Write("check", string.Create(CultureInfo.InvariantCulture,
            $"relative L1 difference from the exact line integrals {error:P2} (tolerance {JosephTolerance:P0}; voxelisation and interpolation)"));
        return error <= JosephTolerance;
    }
}
