using FedNano.Reconstruction.Torch;
using FedNano.Reconstruction.Volumes;
using TorchSharp;

namespace FedNano.Reconstruction.Metrics;

/// <summary>
/// Image quality metrics of a test image x̂ against a reference x: RRMSE, PSNR and SSIM, for 2D images
/// (row-major, <c>[j·width + i]</c>) and for <see cref="CtVolume"/> pairs on the same grid. Computed with TorchSharp
/// on the CPU in float64 whatever the input precision.
/// </summary>
/// <remarks>
/// <para>Masks are <see cref="bool"/> arrays laid out like the images (true = the pixel counts); see
/// <see cref="MetricMask"/>. Without a mask every pixel counts.</para>
/// <para>SSIM follows Wang et al. 2004 with population (biased) local statistics under a separable Gaussian window
/// (<see cref="SsimOptions"/>). The SSIM map is evaluated only where the whole window lies inside the image: a border
/// of <see cref="SsimOptions.BorderPixels"/> pixels (5 for the 11 × 11 window) is excluded at every edge, and the
/// result is the mean of the map over the remaining region, restricted to the mask when one is given. The mask only
/// selects map positions; each window still sees the pixels around its centre, masked or not. This equals
/// <c>skimage.metrics.structural_similarity(x, x̂, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
/// data_range=L)</c>, which computes the map with reflected borders and then averages it after cropping
/// (win_size − 1)/2 pixels, where no reflected pixel is used (checked against skimage 0.19 in the tests).</para>
/// <para>For volumes, RRMSE and PSNR pool all (masked) voxels; SSIM is the mean over slices of the per-slice SSIM,
/// counting only slices with at least one masked pixel inside the evaluation region.</para>
/// </remarks>
public static class ImageMetrics
{
    // Voxels per torch batch (4 slices of 512²): bounds the float64 working set of SSIM (about 12 batch-sized
    // tensors, ~100 MB) and keeps allocations small enough to be reused rather than mapped afresh each time.
    private const int ChunkVoxels = 1 << 20;

    /// <summary>
    /// Relative root-mean-square error ‖x̂ − x‖₂ / ‖x‖₂ × 100 (percent) over the masked pixels of a 2D image.
    /// </summary>
    /// <param name="reference">The reference x, width × height values.</param>
    /// <param name="test">The test image x̂, same size and unit.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="mask">Pixels that count (null: all).</param>
    /// <exception cref="ArgumentException">Sizes differ, a value is not finite, the mask is empty, or the reference is zero over the mask.</exception>
    public static double Rrmse(ReadOnlySpan<float> reference, ReadOnlySpan<float> test, int width, int height, bool[]? mask = null)
    {
        ValidatePair(reference, test, width, height, 1, mask);
        return RrmseFrom(Compare(reference, test, width, height, 1, mask, 0, null).Errors);
    }

    /// <summary>
    /// Peak signal-to-noise ratio 10·log10(L²/MSE) in dB over the masked pixels of a 2D image; +∞ when the images are
    /// identical there (MSE = 0).
    /// </summary>
    /// <param name="reference">The reference x, width × height values.</param>
    /// <param name="test">The test image x̂, same size and unit.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="dataRange">L, in the images' unit.</param>
    /// <param name="mask">Pixels that count (null: all).</param>
    /// <exception cref="ArgumentException">Sizes differ, a value is not finite, the mask is empty, or L is not positive.</exception>
    public static double Psnr(ReadOnlySpan<float> reference, ReadOnlySpan<float> test, int width, int height, double dataRange, bool[]? mask = null)
    {
        ValidatePair(reference, test, width, height, 1, mask);
        ValidateDataRange(dataRange);
        return PsnrFrom(Compare(reference, test, width, height, 1, mask, dataRange, null).Errors, dataRange);
    }

    /// <summary>
    /// Structural similarity of a 2D image (Wang et al. 2004): mean of the SSIM map over the pixels where the whole
    /// window fits (a border of <see cref="SsimOptions.BorderPixels"/> pixels excluded), restricted to the mask.
    /// </summary>
    /// <param name="reference">The reference x, width × height values.</param>
    /// <param name="test">The test image x̂, same size and unit.</param>
    /// <param name="width">Columns, at least the window size.</param>
    /// <param name="height">Rows, at least the window size.</param>
    /// <param name="dataRange">L, in the images' unit (C1 = (K1·L)², C2 = (K2·L)²).</param>
    /// <param name="mask">Map positions that count (null: all inside the border).</param>
    /// <param name="options">Window and constants (null: <see cref="SsimOptions.Wang2004"/>).</param>
    /// <exception cref="ArgumentException">Sizes differ or are below the window, a value is not finite, L is not positive, or the mask has no pixel inside the border.</exception>
    public static double Ssim(ReadOnlySpan<float> reference, ReadOnlySpan<float> test, int width, int height, double dataRange,
        bool[]? mask = null, SsimOptions? options = null)
    {
        options ??= SsimOptions.Wang2004;
        ValidateSsim(reference, test, width, height, 1, dataRange, mask, options);
        double value = Compare(reference, test, width, height, 1, mask, dataRange, options).SliceSsim[0];
        if (double.IsNaN(value))
        {
            throw new ArgumentException($"The mask has no pixel inside the SSIM evaluation region (a {options.BorderPixels}-pixel border is excluded).", nameof(mask));
        }
        return value;
    }

    /// <summary>RRMSE (percent) over all masked voxels of two volumes on the same grid and in the same unit.</summary>
    /// <param name="reference">The reference x.</param>
    /// <param name="test">The test volume x̂.</param>
    /// <param name="mask">Voxels that count (null: all), slice-major like the values.</param>
    /// <exception cref="ArgumentException">Grids or units differ, a value is not finite, the mask is empty, or the reference is zero over it.</exception>
    public static double Rrmse(CtVolume reference, CtVolume test, bool[]? mask = null)
    {
        var grid = ValidateVolumes(reference, test, requireSameUnit: true);
        ValidatePair(reference.Values, test.Values, grid.Nx, grid.Ny, grid.Nz, mask);
        return RrmseFrom(Compare(reference.Values, test.Values, grid.Nx, grid.Ny, grid.Nz, mask, 0, null).Errors);
    }

    /// <summary>PSNR (dB) over all masked voxels of two volumes on the same grid and in the same unit; +∞ when identical.</summary>
    /// <param name="reference">The reference x.</param>
    /// <param name="test">The test volume x̂.</param>
    /// <param name="dataRange">L, in the volumes' unit.</param>
    /// <param name="mask">Voxels that count (null: all), slice-major like the values.</param>
    /// <exception cref="ArgumentException">Grids or units differ, a value is not finite, the mask is empty, or L is not positive.</exception>
    public static double Psnr(CtVolume reference, CtVolume test, double dataRange, bool[]? mask = null)
    {
        var grid = ValidateVolumes(reference, test, requireSameUnit: true);
        ValidatePair(reference.Values, test.Values, grid.Nx, grid.Ny, grid.Nz, mask);
        ValidateDataRange(dataRange);
        return PsnrFrom(Compare(reference.Values, test.Values, grid.Nx, grid.Ny, grid.Nz, mask, dataRange, null).Errors, dataRange);
    }

    /// <summary>
    /// SSIM of two volumes on the same grid and in the same unit: the mean over slices of each slice's 2D SSIM
    /// (see <see cref="Ssim(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, double, bool[], SsimOptions)"/>);
    /// slices whose mask has no pixel inside the evaluation region are left out.
    /// </summary>
    /// <param name="reference">The reference x.</param>
    /// <param name="test">The test volume x̂.</param>
    /// <param name="dataRange">L, in the volumes' unit.</param>
    /// <param name="mask">Map positions that count (null: all inside the border), slice-major like the values.</param>
    /// <param name="options">Window and constants (null: <see cref="SsimOptions.Wang2004"/>).</param>
    /// <exception cref="ArgumentException">Grids or units differ, slices are smaller than the window, a value is not finite, L is not positive, or no slice has a masked pixel inside the border.</exception>
    public static double Ssim(CtVolume reference, CtVolume test, double dataRange, bool[]? mask = null, SsimOptions? options = null)
    {
        options ??= SsimOptions.Wang2004;
        var grid = ValidateVolumes(reference, test, requireSameUnit: true);
        ValidateSsim(reference.Values, test.Values, grid.Nx, grid.Ny, grid.Nz, dataRange, mask, options);
        return MeanOverSlices(Compare(reference.Values, test.Values, grid.Nx, grid.Ny, grid.Nz, mask, dataRange, options).SliceSsim, options);
    }

    /// <summary>
    /// RRMSE, SSIM and PSNR of <paramref name="test"/> against <paramref name="reference"/> as <paramref name="options"/>
    /// states them: both volumes are converted to <see cref="MetricOptions.Unit"/> (their own units may differ), the mask
    /// is built from the reference, and L is <see cref="MetricOptions.DataRange"/>. RRMSE and PSNR pool the masked voxels;
    /// SSIM is the mean of per-slice SSIM.
    /// </summary>
    /// <param name="reference">The reference volume.</param>
    /// <param name="test">The volume under test, on the same grid.</param>
    /// <param name="options">Unit, data range, mask and SSIM window (null: <see cref="MetricOptions.Default"/>).</param>
    /// <exception cref="ArgumentException">Grids differ, an option is invalid, a value is not finite, the mask is empty, or the reference is zero over it.</exception>
    public static MetricReport Evaluate(CtVolume reference, CtVolume test, MetricOptions? options = null)
    {
        options ??= MetricOptions.Default;
        options.Validate();
        var grid = ValidateVolumes(reference, test, requireSameUnit: false);
        float[] x = InUnit(reference, options.Unit, options.MuWaterPerMm);
        float[] xHat = InUnit(test, options.Unit, options.MuWaterPerMm);
        bool[]? mask = options.Mask switch
        {
            MaskKind.Body => MetricMask.Body(
                reference.Unit == VolumeUnit.Hounsfield ? reference.Values : reference.ToHounsfield(options.MuWaterPerMm).Values,
                grid.Nx, grid.Ny, grid.Nz, options.BodyThresholdHu),
            MaskKind.Circle => MetricMask.InscribedCircle(grid.Nx, grid.Ny, grid.Nz),
            _ => null,
        };
        double dataRange = options.DataRange;
        ValidateSsim(x, xHat, grid.Nx, grid.Ny, grid.Nz, dataRange, mask, options.Ssim);
        var (sums, sliceSsim) = Compare(x, xHat, grid.Nx, grid.Ny, grid.Nz, mask, dataRange, options.Ssim);
        return new MetricReport(RrmseFrom(sums), MeanOverSlices(sliceSsim, options.Ssim), PsnrFrom(sums, dataRange), dataRange,
            options.UnitDescription, options.MaskDescription, sums.Count);
    }

    // ------------------------------------------------------------------ computation

    private readonly record struct ErrorTotals(double SquaredError, double SquaredReference, long Count);

    private static double RrmseFrom(ErrorTotals sums)
    {
        if (sums.SquaredReference == 0)
        {
            throw new ArgumentException("The reference is zero over the compared pixels, so RRMSE (relative to ‖x‖) is undefined; compare in μ or HU+1000 rather than HU, or choose another mask.", "reference");
        }
        return Math.Sqrt(sums.SquaredError / sums.SquaredReference) * 100.0;
    }

    private static double PsnrFrom(ErrorTotals sums, double dataRange)
    {
        double mse = sums.SquaredError / sums.Count;
        // Identical images: L²/0 is +∞; returned as such rather than a cap so that "identical" stays recognisable.
        return mse == 0 ? double.PositiveInfinity : 10.0 * Math.Log10(dataRange * dataRange / mse);
    }

    /// <summary>
    /// One pass over the images in slice batches: the squared-error totals for RRMSE and PSNR and, when
    /// <paramref name="ssim"/> is given, each slice's mean SSIM over the (masked) evaluation region (NaN for a slice with
    /// no pixel there).
    /// </summary>
    private static (ErrorTotals Errors, double[] SliceSsim) Compare(ReadOnlySpan<float> reference, ReadOnlySpan<float> test,
        int width, int height, int depth, bool[]? mask, double dataRange, SsimOptions? ssim)
    {
        TorchRuntime.Initialize();
        int plane = width * height;
        int slicesPerChunk = Math.Max(1, ChunkVoxels / plane);
        double squaredError = 0, squaredReference = 0;
        long count = 0;
        var sliceSsim = new double[ssim is null ? 0 : depth];
        for (int k0 = 0; k0 < depth; k0 += slicesPerChunk)
        {
            int n = Math.Min(slicesPerChunk, depth - k0);
            int offset = k0 * plane, length = n * plane;
            using var scope = torch.NewDisposeScope();
            var x = Float64(reference.Slice(offset, length), [n, height, width]);
            var y = Float64(test.Slice(offset, length), [n, height, width]);
            var m = mask is null ? null : Weights(mask.AsSpan(offset, length), [n, height, width]);
            var difference = y - x;
            var squaredDifference = difference.mul_(difference);
            var squaredX = x.square();
            if (m is not null)
            {
                squaredDifference.mul_(m);
                squaredX.mul_(m);
            }
            squaredError += squaredDifference.sum().item<double>();
            squaredReference += squaredX.sum().item<double>();
            count += mask is null ? length : MetricMask.Count(mask.AsSpan(offset, length));
            if (ssim is not null)
            {
                ChunkSsim(x, y, m, dataRange, ssim).CopyTo(sliceSsim, k0);
            }
        }
        return (new ErrorTotals(squaredError, squaredReference, count), sliceSsim);
    }

    /// <summary>Mean SSIM of each of the n slices of <paramref name="x"/> [n, H, W] over the masked evaluation region.</summary>
    private static double[] ChunkSsim(torch.Tensor x, torch.Tensor y, torch.Tensor? mask, double dataRange, SsimOptions options)
    {
        int n = (int)x.size(0);
        int border = options.BorderPixels;
        double c1 = options.K1 * dataRange * options.K1 * dataRange;
        double c2 = options.K2 * dataRange * options.K2 * dataRange;
        double[] weights = options.GaussianWeights();
        // All five moments at once, filtered along rows then columns over 'valid' positions only (where the window
        // fits), which is exactly the cropped evaluation region.
        var moments = torch.cat([x, y, x * x, y * y, x * y], 0);
        var filtered = ValidFilter(ValidFilter(moments, weights, 1), weights, 2);
        var ux = filtered.narrow(0, 0, n);
        var uy = filtered.narrow(0, n, n);
        var uxSquared = ux.square();
        var uySquared = uy.square();
        var uxUy = ux * uy;
        // SSIM = (2·ux·uy + C1)(2·σxy + C2) / ((ux² + uy² + C1)(σx² + σy² + C2)), population moments; in place
        // where possible, as large float64 temporaries dominate the cost.
        var covariance = filtered.narrow(0, 4 * n, n).sub(uxUy);
        var varianceSum = filtered.narrow(0, 2 * n, n).sub(uxSquared).add_(filtered.narrow(0, 3 * n, n).sub(uySquared));
        var map = uxUy.mul_(2).add_(c1).mul_(covariance.mul_(2).add_(c2));
        map.div_(uxSquared.add_(uySquared).add_(c1).mul_(varianceSum.add_(c2)));
        long validHeight = map.size(1), validWidth = map.size(2);
        double[] sums, counts;
        if (mask is null)
        {
            sums = map.sum([1, 2]).data<double>().ToArray();
            counts = Enumerable.Repeat((double)validHeight * validWidth, n).ToArray();
        }
        else
        {
            var inside = mask.narrow(1, border, validHeight).narrow(2, border, validWidth);
            sums = (map * inside).sum([1, 2]).data<double>().ToArray();
            counts = inside.sum([1, 2]).data<double>().ToArray();
        }
        var result = new double[n];
        for (int s = 0; s < n; s++)
        {
            result[s] = counts[s] > 0 ? sums[s] / counts[s] : double.NaN;
        }
        return result;
    }

    /// <summary>
    /// Correlates <paramref name="values"/> with <paramref name="weights"/> along <paramref name="dimension"/>, keeping
    /// only outputs whose window lies inside (length shrinks by weights.Length − 1). Shifted weighted sums: libtorch's
    /// float64 CPU convolution has no fast kernel and is tens of times slower.
    /// </summary>
    private static torch.Tensor ValidFilter(torch.Tensor values, double[] weights, int dimension)
    {
        long outputLength = values.size(dimension) - weights.Length + 1;
        var sum = values.narrow(dimension, 0, outputLength) * weights[0];
        for (int t = 1; t < weights.Length; t++)
        {
            sum.add_(values.narrow(dimension, t, outputLength), weights[t]);
        }
        return sum;
    }

    private static double MeanOverSlices(double[] perSlice, SsimOptions options)
    {
        double sum = 0;
        int slices = 0;
        foreach (double v in perSlice)
        {
            if (!double.IsNaN(v))
            {
                sum += v;
                slices++;
            }
        }
        if (slices == 0)
        {
            throw new ArgumentException($"The mask has no pixel inside the SSIM evaluation region of any slice (a {options.BorderPixels}-pixel border is excluded).", "mask");
        }
        return sum / slices;
    }

    private static torch.Tensor Float64(ReadOnlySpan<float> values, long[] shape)
    {
        var buffer = new double[values.Length];
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = values[i];
        }
        return torch.tensor(buffer, shape);
    }

    private static torch.Tensor Weights(ReadOnlySpan<bool> mask, long[] shape)
    {
        var buffer = new double[mask.Length];
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = mask[i] ? 1.0 : 0.0;
        }
        return torch.tensor(buffer, shape);
    }

    private static float[] InUnit(CtVolume volume, MetricUnit unit, double muWaterPerMm)
    {
        var source = volume.Values;
        if ((unit == MetricUnit.AttenuationPerMm && volume.Unit == VolumeUnit.AttenuationPerMm)
            || (unit == MetricUnit.Hounsfield && volume.Unit == VolumeUnit.Hounsfield))
        {
            return source;
        }
        // value_out = scale·value_in + offset, in double before rounding to float.
        (double scale, double offset) = (volume.Unit, unit) switch
        {
            (VolumeUnit.Hounsfield, MetricUnit.HounsfieldPlus1000) => (1.0, 1000.0),
            (VolumeUnit.Hounsfield, MetricUnit.AttenuationPerMm) => (muWaterPerMm / 1000.0, muWaterPerMm),
            (VolumeUnit.AttenuationPerMm, MetricUnit.HounsfieldPlus1000) => (1000.0 / muWaterPerMm, 0.0),
            (VolumeUnit.AttenuationPerMm, MetricUnit.Hounsfield) => (1000.0 / muWaterPerMm, -1000.0),
            _ => throw new ArgumentException($"Cannot convert a {volume.Unit} volume to {unit}.", nameof(unit)),
        };
        var result = new float[source.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (float)(scale * source[i] + offset);
        }
        return result;
    }

    // ------------------------------------------------------------------ validation

    private static VolumeGrid ValidateVolumes(CtVolume reference, CtVolume test, bool requireSameUnit)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(test);
        if (reference.Grid != test.Grid)
        {
            throw new ArgumentException($"The volumes are on different grids ({reference.Grid} vs {test.Grid}); resample one first.", nameof(test));
        }
        if (requireSameUnit && reference.Unit != test.Unit)
        {
            throw new ArgumentException($"The volumes are in different units ({reference.Unit} vs {test.Unit}); convert one first or use Evaluate.", nameof(test));
        }
        return reference.Grid;
    }

    private static void ValidatePair(ReadOnlySpan<float> reference, ReadOnlySpan<float> test, int width, int height, int depth, bool[]? mask)
    {
        if (width < 1 || height < 1 || depth < 1)
        {
            throw new ArgumentException($"Image size {width} x {height} x {depth} must be positive.", nameof(width));
        }
        long expected = (long)width * height * depth;
        if (reference.Length != expected)
        {
            throw new ArgumentException($"The reference has {reference.Length} values; {width} x {height} x {depth} needs {expected}.", nameof(reference));
        }
        if (test.Length != expected)
        {
            throw new ArgumentException($"The test image has {test.Length} values; {width} x {height} x {depth} needs {expected}.", nameof(test));
        }
        RequireFinite(reference, nameof(reference), width, height);
        RequireFinite(test, nameof(test), width, height);
        if (mask is not null)
        {
            if (mask.LongLength != expected)
            {
                throw new ArgumentException($"The mask has {mask.LongLength} entries; {width} x {height} x {depth} needs {expected}.", nameof(mask));
            }
            if (MetricMask.Count(mask) == 0)
            {
                throw new ArgumentException("The mask selects no pixel.", nameof(mask));
            }
        }
    }

    private static void ValidateSsim(ReadOnlySpan<float> reference, ReadOnlySpan<float> test, int width, int height, int depth,
        double dataRange, bool[]? mask, SsimOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ValidatePair(reference, test, width, height, depth, mask);
        ValidateDataRange(dataRange);
        if (width < options.WindowSize || height < options.WindowSize)
        {
            throw new ArgumentException($"A {width} x {height} image is smaller than the {options.WindowSize} x {options.WindowSize} SSIM window.", nameof(width));
        }
    }

    private static void ValidateDataRange(double dataRange)
    {
        if (!(dataRange > 0) || !double.IsFinite(dataRange))
        {
            throw new ArgumentException($"The data range must be positive and finite (got {dataRange}).", nameof(dataRange));
        }
    }

    private static void RequireFinite(ReadOnlySpan<float> values, string name, int width, int height)
    {
        for (int p = 0; p < values.Length; p++)
        {
            if (!float.IsFinite(values[p]))
            {
                int plane = width * height;
                int k = p / plane, j = p % plane / width, i = p % width;
                throw new ArgumentException($"The {(name == "test" ? "test image" : name)} holds a non-finite value ({values[p]}) at column {i}, row {j}, slice {k}.", name);
            }
        }
    }
}
