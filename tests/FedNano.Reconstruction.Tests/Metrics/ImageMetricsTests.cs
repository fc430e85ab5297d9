using FedNano.Reconstruction.Metrics;

namespace FedNano.Reconstruction.Tests.Metrics;

public class ImageMetricsTests
{
    private const int W = 48, H = 40;
    private const double L = 2000;

    private static float[] Reference() => MetricImages.Add(MetricImages.HeadSliceHu(W, H), 1000); // HU+1000: positive

    [Fact]
    public void Identical_images_have_ssim_1_rrmse_0_and_infinite_psnr()
    {
        var x = Reference();
        Assert.Equal(0.0, ImageMetrics.Rrmse(x, x, W, H));
        Assert.Equal(double.PositiveInfinity, ImageMetrics.Psnr(x, x, W, H, L));
        Assert.Equal(1.0, ImageMetrics.Ssim(x, x, W, H, L), 12);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-20.0)]
    [InlineData(250.0)]
    public void Constant_offset_gives_psnr_20_log10_of_range_over_offset(double offset)
    {
        var x = Reference();
        var y = MetricImages.Add(x, (float)offset);
        // MSE = δ² exactly up to float rounding of x + δ.
        Assert.Equal(20 * Math.Log10(L / Math.Abs(offset)), ImageMetrics.Psnr(x, y, W, H, L), 3);
    }

    [Theory]
    [InlineData(1.05)]
    [InlineData(0.9)]
    public void Scaled_image_gives_rrmse_of_the_scale_error(double factor)
    {
        var x = Reference();
        var y = MetricImages.Scale(x, (float)factor);
        Assert.Equal(Math.Abs(factor - 1) * 100, ImageMetrics.Rrmse(x, y, W, H), 4);
    }

    [Fact]
    public void Ssim_falls_as_noise_grows()
    {
        var x = Reference();
        double mild = ImageMetrics.Ssim(x, MetricImages.BlurredNoisy(x, W, H, 5, 1), W, H, L);
        double strong = ImageMetrics.Ssim(x, MetricImages.BlurredNoisy(x, W, H, 80, 1), W, H, L);
        Assert.InRange(mild, 0.5, 0.9999);
        Assert.True(strong < mild - 0.05, $"SSIM {strong} with strong noise should be well below {mild}.");
    }

    [Fact]
    public void Difference_outside_the_mask_does_not_change_the_metrics()
    {
        var x = Reference();
        var y = MetricImages.BlurredNoisy(x, W, H, 10, 2);
        // Mask: the left half. Change the right half, beyond the SSIM window radius (5 px) from the mask edge.
        var mask = new bool[W * H];
        var changed = (float[])y.Clone();
        for (int j = 0; j < H; j++)
        {
            for (int i = 0; i < W; i++)
            {
                mask[j * W + i] = i < W / 2;
                if (i >= W / 2 + 5) changed[j * W + i] += 300;
            }
        }
        Assert.Equal(ImageMetrics.Rrmse(x, y, W, H, mask), ImageMetrics.Rrmse(x, changed, W, H, mask), 12);
        Assert.Equal(ImageMetrics.Psnr(x, y, W, H, L, mask), ImageMetrics.Psnr(x, changed, W, H, L, mask), 12);
        Assert.Equal(ImageMetrics.Ssim(x, y, W, H, L, mask), ImageMetrics.Ssim(x, changed, W, H, L, mask), 12);
        // Without the mask the same change counts.
        Assert.True(ImageMetrics.Rrmse(x, changed, W, H) > ImageMetrics.Rrmse(x, y, W, H) + 1);
        Assert.True(ImageMetrics.Ssim(x, changed, W, H, L) < ImageMetrics.Ssim(x, y, W, H, L) - 0.01);
    }

    [Fact]
    public void Masked_metrics_equal_the_metrics_of_the_masked_pixels_alone()
    {
        var x = Reference();
        var y = MetricImages.BlurredNoisy(x, W, H, 10, 3);
        var mask = new bool[W * H];
        double se = 0, sr = 0;
        int n = 0;
        for (int p = 0; p < mask.Length; p++)
        {
            mask[p] = p % 3 == 0;
            if (!mask[p]) continue;
            se += (y[p] - (double)x[p]) * (y[p] - (double)x[p]);
            sr += (double)x[p] * x[p];
            n++;
        }
        Assert.Equal(100 * Math.Sqrt(se / sr), ImageMetrics.Rrmse(x, y, W, H, mask), 9);
        Assert.Equal(10 * Math.Log10(L * L / (se / n)), ImageMetrics.Psnr(x, y, W, H, L, mask), 9);
    }

    [Fact]
    public void Ssim_with_a_mask_inside_the_border_only_is_rejected()
    {
        var x = Reference();
        var mask = new bool[W * H];
        for (int i = 0; i < W; i++) mask[2 * W + i] = true; // row 2: inside the 5-pixel border
        var e = Assert.Throws<ArgumentException>(() => ImageMetrics.Ssim(x, x, W, H, L, mask));
        Assert.Contains("border", e.Message);
        // RRMSE and PSNR have no border: the same mask is fine there.
        Assert.Equal(0.0, ImageMetrics.Rrmse(x, x, W, H, mask));
    }

    [Fact]
    public void Size_mismatch_is_rejected()
    {
        var x = Reference();
        var e = Assert.Throws<ArgumentException>(() => ImageMetrics.Rrmse(x, x.AsSpan(1).ToArray(), W, H));
        Assert.Equal("test", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => ImageMetrics.Psnr(x, x, W + 1, H, L));
        Assert.Equal("reference", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => ImageMetrics.Ssim(x, x, W, H, L, new bool[W * H - 1]));
        Assert.Equal("mask", e.ParamName);
    }

    [Fact]
    public void Non_finite_values_are_rejected_with_their_position()
    {
        var x = Reference();
        var y = (float[])x.Clone();
        y[3 * W + 7] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => ImageMetrics.Ssim(x, y, W, H, L));
        Assert.Equal("test", e.ParamName);
        Assert.Contains("column 7, row 3", e.Message);
        y[3 * W + 7] = float.PositiveInfinity;
        Assert.Throws<ArgumentException>(() => ImageMetrics.Rrmse(y, x, W, H));
    }

    [Fact]
    public void Empty_mask_is_rejected()
    {
        var x = Reference();
        var e = Assert.Throws<ArgumentException>(() => ImageMetrics.Psnr(x, x, W, H, L, new bool[W * H]));
        Assert.Equal("mask", e.ParamName);
        Assert.Contains("no pixel", e.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Non_positive_or_non_finite_data_range_is_rejected(double range)
    {
        var x = Reference();
        Assert.Equal("dataRange", Assert.Throws<ArgumentException>(() => ImageMetrics.Psnr(x, x, W, H, range)).ParamName);
        Assert.Equal("dataRange", Assert.Throws<ArgumentException>(() => ImageMetrics.Ssim(x, x, W, H, range)).ParamName);
    }

    [Fact]
    public void Image_smaller_than_the_ssim_window_is_rejected()
    {
        var x = new float[10 * 10];
        Array.Fill(x, 1000f);
        var e = Assert.Throws<ArgumentException>(() => ImageMetrics.Ssim(x, x, 10, 10, L));
        Assert.Contains("11 x 11", e.Message);
        // A 7-pixel window fits.
        Assert.Equal(1.0, ImageMetrics.Ssim(x, x, 10, 10, L, options: new SsimOptions { WindowSize = 7, GaussianSigmaPixels = 1.0 }), 12);
    }

    [Theory]
    [InlineData(10, 1.5, 0.01, 0.03)]
    [InlineData(1, 1.5, 0.01, 0.03)]
    [InlineData(11, 0.0, 0.01, 0.03)]
    [InlineData(11, 1.5, 0.0, 0.03)]
    [InlineData(11, 1.5, 0.01, double.NaN)]
    public void Invalid_ssim_options_are_rejected(int window, double sigma, double k1, double k2)
    {
        var x = Reference();
        var options = new SsimOptions { WindowSize = window, GaussianSigmaPixels = sigma, K1 = k1, K2 = k2 };
        Assert.Throws<ArgumentException>(() => ImageMetrics.Ssim(x, x, W, H, L, options: options));
    }

    [Fact]
    public void Rrmse_of_a_zero_reference_is_rejected()
    {
        var zero = new float[W * H];
        var e = Assert.Throws<ArgumentException>(() => ImageMetrics.Rrmse(zero, Reference(), W, H));
        Assert.Contains("RRMSE", e.Message);
    }
}
