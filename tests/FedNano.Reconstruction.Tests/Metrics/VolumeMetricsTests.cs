using FedNano.Reconstruction.Metrics;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Tests.Metrics;

public class VolumeMetricsTests
{
    private const int W = 40, H = 36, D = 3;
    private static readonly VolumeGrid Grid = new(W, H, D, 220.0 / W, 5, -30);

    private static CtVolume HeadHu()
    {
        var values = new float[W * H * D];
        for (int k = 0; k < D; k++)
        {
            MetricImages.HeadSliceHu(W, H, Grid.ZMm(k)).CopyTo(values, k * W * H);
        }
        return new CtVolume(Grid, values, VolumeUnit.Hounsfield);
    }

    private static CtVolume Noisy(CtVolume volume, double sigmaHu, int seed)
    {
        var values = new float[volume.Values.Length];
        for (int k = 0; k < D; k++)
        {
            // Different noise per slice, so that slices differ in quality.
            MetricImages.BlurredNoisy(volume.Slice(k).ToArray(), W, H, sigmaHu * (k + 1), seed + k).CopyTo(values, k * W * H);
        }
        return new CtVolume(volume.Grid, values, volume.Unit);
    }

    private static CtVolume Plus1000(CtVolume hu) => new(hu.Grid, MetricImages.Add(hu.Values, 1000), VolumeUnit.Hounsfield);

    [Fact]
    public void Volume_rrmse_and_psnr_pool_all_voxels()
    {
        var x = Plus1000(HeadHu());
        var y = Noisy(x, 20, 1);
        // Pooling all voxels is the same as treating the slices as one tall image.
        Assert.Equal(ImageMetrics.Rrmse(x.Values, y.Values, W, H * D), ImageMetrics.Rrmse(x, y), 10);
        Assert.Equal(ImageMetrics.Psnr(x.Values, y.Values, W, H * D, 2000), ImageMetrics.Psnr(x, y, 2000), 10);
    }

    [Fact]
    public void Volume_ssim_is_the_mean_of_the_slice_ssims()
    {
        var x = Plus1000(HeadHu());
        var y = Noisy(x, 20, 2);
        double mean = Enumerable.Range(0, D).Average(k => ImageMetrics.Ssim(x.Slice(k), y.Slice(k), W, H, 2000));
        Assert.Equal(mean, ImageMetrics.Ssim(x, y, 2000), 12);
    }

    [Fact]
    public void Volume_ssim_leaves_out_slices_without_masked_pixels()
    {
        var x = Plus1000(HeadHu());
        var y = Noisy(x, 20, 3);
        var mask = new bool[W * H * D];
        // Slices 0 and 2 fully masked, slice 1 not at all.
        Array.Fill(mask, true, 0, W * H);
        Array.Fill(mask, true, 2 * W * H, W * H);
        double expected = (ImageMetrics.Ssim(x.Slice(0), y.Slice(0), W, H, 2000) + ImageMetrics.Ssim(x.Slice(2), y.Slice(2), W, H, 2000)) / 2;
        Assert.Equal(expected, ImageMetrics.Ssim(x, y, 2000, mask), 12);
    }

    [Fact]
    public void Volumes_on_different_grids_or_units_are_rejected()
    {
        var x = HeadHu();
        var shifted = new CtVolume(Grid with { FirstSliceZMm = -29 }, (float[])x.Values.Clone(), VolumeUnit.Hounsfield);
        Assert.Contains("different grids", Assert.Throws<ArgumentException>(() => ImageMetrics.Rrmse(x, shifted)).Message);
        var mu = x.ToAttenuation(MetricImages.MuWater);
        Assert.Contains("different units", Assert.Throws<ArgumentException>(() => ImageMetrics.Ssim(x, mu, 2000)).Message);
        Assert.Contains("different grids", Assert.Throws<ArgumentException>(() => ImageMetrics.Evaluate(x, shifted)).Message);
    }

    [Fact]
    public void Evaluate_defaults_to_attenuation_over_all_voxels_with_a_2000_HU_range()
    {
        var x = HeadHu();
        var y = Noisy(x, 20, 4);
        var report = ImageMetrics.Evaluate(x, y);
        var mu = x.ToAttenuation(MetricImages.MuWater);
        var muTest = y.ToAttenuation(MetricImages.MuWater);
        Assert.Equal("μ (1/mm)", report.Unit);
        Assert.Equal("all voxels", report.Mask);
        Assert.Equal(2 * MetricImages.MuWater, report.DataRange, 15);
        Assert.Equal(W * H * D, report.VoxelCount);
        Assert.Equal(ImageMetrics.Rrmse(mu, muTest), report.RrmsePercent, 4);
        Assert.Equal(ImageMetrics.Psnr(mu, muTest, 2 * MetricImages.MuWater), report.PsnrDb, 4);
        Assert.Equal(ImageMetrics.Ssim(mu, muTest, 2 * MetricImages.MuWater), report.Ssim, 5);
    }

    [Fact]
    public void Attenuation_and_HU_plus_1000_give_identical_metrics()
    {
        var x = HeadHu();
        var y = Noisy(x, 30, 5);
        var inMu = ImageMetrics.Evaluate(x, y, new MetricOptions { Unit = MetricUnit.AttenuationPerMm });
        var inHu1000 = ImageMetrics.Evaluate(x, y, new MetricOptions { Unit = MetricUnit.HounsfieldPlus1000 });
        Assert.Equal(inMu.RrmsePercent, inHu1000.RrmsePercent, 4);
        Assert.Equal(inMu.Ssim, inHu1000.Ssim, 5);
        Assert.Equal(inMu.PsnrDb, inHu1000.PsnrDb, 4);
        Assert.Equal(2000, inHu1000.DataRange);
        // Plain HU is a different measurement: SSIM's luminance term and RRMSE's ‖x‖ are not offset-invariant.
        var inHu = ImageMetrics.Evaluate(x, y, new MetricOptions { Unit = MetricUnit.Hounsfield });
        Assert.Equal(inMu.PsnrDb, inHu.PsnrDb, 4);
        Assert.NotEqual(inMu.RrmsePercent, inHu.RrmsePercent, 1);
    }

    [Fact]
    public void Evaluate_converts_each_volume_to_the_metric_unit()
    {
        var x = HeadHu();
        var y = Noisy(x, 20, 6);
        var bothHu = ImageMetrics.Evaluate(x, y);
        var mixed = ImageMetrics.Evaluate(x.ToAttenuation(MetricImages.MuWater), y);
        Assert.Equal(bothHu.RrmsePercent, mixed.RrmsePercent, 4);
        Assert.Equal(bothHu.Ssim, mixed.Ssim, 5);
        Assert.Equal(bothHu.PsnrDb, mixed.PsnrDb, 3);
    }

    [Fact]
    public void Evaluate_with_the_body_mask_ignores_the_air_around_the_patient()
    {
        var x = HeadHu();
        var y = Noisy(x, 20, 7);
        var options = new MetricOptions { Mask = MaskKind.Body };
        var before = ImageMetrics.Evaluate(x, y, options);
        // Streaks in the air far from the head: at least 6 pixels outside the body.
        var body = MetricMask.Body(x.Values, W, H, D);
        var streaked = (float[])y.Values.Clone();
        int streaks = 0;
        for (int p = 0; p < streaked.Length; p++)
        {
            int k = p / (W * H), j = p % (W * H) / W, i = p % W;
            if (!NearBody(body, k, j, i, 6))
            {
                streaked[p] += 200;
                streaks++;
            }
        }
        Assert.True(streaks > 20, "the test needs air around the head");
        var after = ImageMetrics.Evaluate(x, new CtVolume(Grid, streaked, VolumeUnit.Hounsfield), options);
        Assert.Equal(before.RrmsePercent, after.RrmsePercent, 10);
        Assert.Equal(before.PsnrDb, after.PsnrDb, 10);
        Assert.Equal(before.Ssim, after.Ssim, 10);
        Assert.StartsWith("body (reference > -900 HU", after.Mask);
        Assert.Equal(MetricMask.Count(body), after.VoxelCount);
    }

    [Fact]
    public void Evaluate_with_the_circle_mask_counts_the_inscribed_disc()
    {
        var x = HeadHu();
        var report = ImageMetrics.Evaluate(x, Noisy(x, 10, 8), new MetricOptions { Mask = MaskKind.Circle });
        Assert.Equal(MetricMask.Count(MetricMask.InscribedCircle(W, H, D)), report.VoxelCount);
        Assert.Equal("inscribed field-of-view circle", report.Mask);
    }

    [Fact]
    public void Evaluate_rejects_invalid_options()
    {
        var x = HeadHu();
        Assert.Throws<ArgumentException>(() => ImageMetrics.Evaluate(x, x, new MetricOptions { DataRangeHu = 0 }));
        Assert.Throws<ArgumentException>(() => ImageMetrics.Evaluate(x, x, new MetricOptions { MuWaterPerMm = -1 }));
        Assert.Throws<ArgumentException>(() => ImageMetrics.Evaluate(x, x, new MetricOptions { Unit = (MetricUnit)7 }));
        Assert.Throws<ArgumentException>(() => ImageMetrics.Evaluate(x, x, new MetricOptions { Ssim = new SsimOptions { WindowSize = 4 } }));
    }

    [Fact]
    public void Report_text_states_unit_range_and_mask()
    {
        var x = HeadHu();
        var text = ImageMetrics.Evaluate(x, Noisy(x, 10, 9), new MetricOptions { Mask = MaskKind.Body }).ToString();
        Assert.Matches(@"^RRMSE \d+\.\d+ %, SSIM 0\.\d{4}, PSNR \d+\.\d\d dB \(in μ \(1/mm\), L = 0\.0384, body \(reference > -900 HU", text);
        Assert.Contains("PSNR ∞ dB", ImageMetrics.Evaluate(x, x).ToString());
    }

    private static bool NearBody(bool[] body, int k, int j, int i, int distance)
    {
        for (int dj = -distance; dj <= distance; dj++)
        {
            for (int di = -distance; di <= distance; di++)
            {
                int jj = j + dj, ii = i + di;
                if (jj >= 0 && jj < H && ii >= 0 && ii < W && body[(k * H + jj) * W + ii]) return true;
            }
        }
        return false;
    }
}
