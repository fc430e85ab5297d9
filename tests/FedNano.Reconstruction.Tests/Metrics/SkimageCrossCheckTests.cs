using System.Globalization;
using System.Text.Json;
using FedNano.Reconstruction.Metrics;
using FedNano.Testing;
using Xunit.Abstractions;

namespace FedNano.Reconstruction.Tests.Metrics;

/// <summary>
/// Our SSIM and PSNR against scikit-image's (Debian python3-skimage), on a Shepp–Logan slice and a blurred, noisy copy
/// of it, 96 × 80 pixels (not square, so that a transposed axis would show).
/// </summary>
public sealed class SkimageCrossCheckTests(ITestOutputHelper output) : IDisposable
{
    private const int W = 96, H = 80;
    // The brief asks for 1e-3; both sides compute in float64 from the same float32 values and agree to ~1e-14.
    private const double Tolerance = 1e-9;

    // skimage casts float32 input to float32 working precision; float64 here makes it the exact reference.
    // The masked SSIM is the full map (reflect-padded by skimage) averaged over the cropped, masked region.
    private const string Script = """
        import json, sys
        import numpy as np
        from skimage.metrics import structural_similarity, peak_signal_noise_ratio
        ref_path, test_path, mask_path, w, h, L, sigma = sys.argv[1:8]
        w, h, L, sigma = int(w), int(h), float(L), float(sigma)
        x = np.fromfile(ref_path, dtype='<f4').reshape(h, w).astype(np.float64)
        y = np.fromfile(test_path, dtype='<f4').reshape(h, w).astype(np.float64)
        m = np.fromfile(mask_path, dtype=np.uint8).reshape(h, w).astype(bool)
        ssim, smap = structural_similarity(x, y, gaussian_weights=True, sigma=sigma, use_sample_covariance=False,
                                           data_range=L, full=True)
        pad = (2 * int(3.5 * sigma + 0.5) + 1 - 1) // 2
        crop = (slice(pad, h - pad), slice(pad, w - pad))
        print(json.dumps({
            "ssim": float(ssim),
            "ssim_uncropped": float(smap.mean()),
            "ssim_masked": float(smap[crop][m[crop]].mean()),
            "psnr": float(peak_signal_noise_ratio(x, y, data_range=L)),
            "psnr_masked": float(10 * np.log10(L * L / np.mean((x[m] - y[m]) ** 2))),
            "rrmse": float(100 * np.linalg.norm(y - x) / np.linalg.norm(x)),
            "pad": pad,
        }))
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("fednano-metrics-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(1.5, 11)]   // Wang 2004
    [InlineData(1.0, 9)]    // skimage's window for σ = 1: 2·int(3.5σ + 0.5) + 1
    public void Ssim_psnr_and_rrmse_match_skimage(double sigma, int window)
    {
        var (x, y, mask) = Pair();
        var result = RunSkimage(x, y, mask, 2000, sigma);
        if (result is null) return;
        var options = new SsimOptions { GaussianSigmaPixels = sigma, WindowSize = window };
        Assert.Equal(options.BorderPixels, result.Value.GetProperty("pad").GetInt32());

        double ssim = ImageMetrics.Ssim(x, y, W, H, 2000, options: options);
        double psnr = ImageMetrics.Psnr(x, y, W, H, 2000);
        output.WriteLine(FormattableString.Invariant($"SSIM ours {ssim:R} skimage {result.Value.GetProperty("ssim").GetDouble():R}; PSNR ours {psnr:R} skimage {result.Value.GetProperty("psnr").GetDouble():R}"));
        Assert.Equal(result.Value.GetProperty("ssim").GetDouble(), ssim, Tolerance);
        Assert.Equal(result.Value.GetProperty("psnr").GetDouble(), psnr, Tolerance);
        Assert.Equal(result.Value.GetProperty("rrmse").GetDouble(), ImageMetrics.Rrmse(x, y, W, H), Tolerance);
        // The pair is sensitive to the border convention: averaging the whole map would differ.
        Assert.True(Math.Abs(result.Value.GetProperty("ssim_uncropped").GetDouble() - ssim) > 10 * Tolerance,
            "the test pair must distinguish a cropped from an uncropped SSIM mean");
    }

    [Fact]
    public void Masked_ssim_and_psnr_match_skimage_full_map_over_the_cropped_mask()
    {
        var (x, y, mask) = Pair();
        var result = RunSkimage(x, y, mask, 2000, 1.5);
        if (result is null) return;
        double ssim = ImageMetrics.Ssim(x, y, W, H, 2000, mask);
        output.WriteLine(FormattableString.Invariant($"masked SSIM ours {ssim:R} skimage {result.Value.GetProperty("ssim_masked").GetDouble():R}"));
        Assert.Equal(result.Value.GetProperty("ssim_masked").GetDouble(), ssim, Tolerance);
        Assert.Equal(result.Value.GetProperty("psnr_masked").GetDouble(), ImageMetrics.Psnr(x, y, W, H, 2000, mask), Tolerance);
        // The mask matters for this pair.
        Assert.True(Math.Abs(ssim - result.Value.GetProperty("ssim").GetDouble()) > 10 * Tolerance);
    }

    [Fact]
    public void Ssim_in_attenuation_units_matches_skimage()
    {
        // μ values (~0.02 /mm) with L = 2 μ_water: small numbers, small C1 and C2.
        var (xHu, yHu, mask) = Pair();
        float[] x = xHu.Select(v => (float)(MetricImages.MuWater * v / 1000)).ToArray();
        float[] y = yHu.Select(v => (float)(MetricImages.MuWater * v / 1000)).ToArray();
        double range = 2 * MetricImages.MuWater;
        var result = RunSkimage(x, y, mask, range, 1.5);
        if (result is null) return;
        Assert.Equal(result.Value.GetProperty("ssim").GetDouble(), ImageMetrics.Ssim(x, y, W, H, range), Tolerance);
        Assert.Equal(result.Value.GetProperty("psnr").GetDouble(), ImageMetrics.Psnr(x, y, W, H, range), Tolerance);
    }

    /// <summary>
    /// Reference and test in HU+1000, and a mask (the body's right half). The test image is blurred and noisy, with an
    /// extra error in a 3-pixel frame so that whether the SSIM border is cropped changes the result.
    /// </summary>
    private static (float[] Reference, float[] Test, bool[] Mask) Pair()
    {
        var x = MetricImages.Add(MetricImages.HeadSliceHu(W, H), 1000);
        var y = MetricImages.BlurredNoisy(x, W, H, 15, 11);
        for (int j = 0; j < H; j++)
            for (int i = 0; i < W; i++)
                if (Math.Min(Math.Min(i, W - 1 - i), Math.Min(j, H - 1 - j)) < 3) y[j * W + i] += 150;
        var body = MetricMask.Body(MetricImages.HeadSliceHu(W, H), W, H);
        var mask = new bool[W * H];
        for (int p = 0; p < mask.Length; p++) mask[p] = body[p] && p % W >= W / 2;
        return (x, y, mask);
    }

    private JsonElement? RunSkimage(float[] x, float[] y, bool[] mask, double dataRange, double sigma)
    {
        var python = PeerTool.FindPython("skimage", "python3-skimage", output);
        if (python is null) return null;
        string refPath = Path.Combine(_directory, "reference.f32"), testPath = Path.Combine(_directory, "test.f32");
        string maskPath = Path.Combine(_directory, "mask.u8");
        File.WriteAllBytes(refPath, LittleEndian(x));
        File.WriteAllBytes(testPath, LittleEndian(y));
        File.WriteAllBytes(maskPath, mask.Select(b => b ? (byte)1 : (byte)0).ToArray());
        var run = PeerTool.Exec(python, ["-c", Script, refPath, testPath, maskPath,
            W.ToString(CultureInfo.InvariantCulture), H.ToString(CultureInfo.InvariantCulture),
            dataRange.ToString("R", CultureInfo.InvariantCulture), sigma.ToString("R", CultureInfo.InvariantCulture)],
            TimeSpan.FromSeconds(60)).EnsureSuccess("skimage cross-check");
        output.WriteLine(run.StdOut);
        return JsonDocument.Parse(run.StdOut).RootElement.Clone();
    }

    private static byte[] LittleEndian(float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        }
        return bytes;
    }
}
