using FedNano.Reconstruction.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Training;

/// <summary>
/// Differentiable mean SSIM of image batches, defined exactly like <see cref="ImageMetrics.Ssim(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, double, bool[], SsimOptions)"/>
/// (Gaussian window, population statistics, map averaged where the whole window fits), so the training term and the
/// reported metric are the same quantity.
/// </summary>
/// <remarks>
/// The Gaussian filter is applied as two products with a banded matrix (G·X·Gᵀ, only windows that fit) rather than as a
/// one-map convolution: the matrices are tiny, the products are exact in both directions, and no oneDNN convolution
/// shape is involved.
/// </remarks>
public sealed class SsimLoss : IDisposable
{
    private readonly Tensor _rows;
    private readonly Tensor _columns;
    private readonly double _c1;
    private readonly double _c2;

    /// <summary>Prepares the filter for <paramref name="height"/> × <paramref name="width"/> images.</summary>
    /// <param name="height">Rows per image.</param>
    /// <param name="width">Columns per image.</param>
    /// <param name="dataRange">L in the images' unit.</param>
    /// <param name="device">Where the images live.</param>
    /// <param name="options">Window and constants (null: <see cref="SsimOptions.Wang2004"/>).</param>
    /// <exception cref="ArgumentException">The images are smaller than the window, or L is not positive.</exception>
    public SsimLoss(int height, int width, double dataRange, Device? device = null, SsimOptions? options = null)
    {
        options ??= SsimOptions.Wang2004;
        options.Validate();
        if (height < options.WindowSize || width < options.WindowSize)
        {
            throw new ArgumentException($"SSIM needs images of at least {options.WindowSize} × {options.WindowSize} pixels (got {height} × {width}).");
        }
        if (!(dataRange > 0) || !double.IsFinite(dataRange))
        {
            throw new ArgumentException($"SSIM data range must be positive (got {dataRange}).", nameof(dataRange));
        }
        var weights = options.GaussianWeights();
        _rows = Banded(height, weights, device);
        _columns = Banded(width, weights, device).t().contiguous();
        _c1 = Math.Pow(options.K1 * dataRange, 2);
        _c2 = Math.Pow(options.K2 * dataRange, 2);
    }

    /// <summary>Mean SSIM of each pair: [B, 1, H, W] × 2 → [B].</summary>
    public Tensor Ssim(Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        using var scope = NewDisposeScope();
        var mx = Filter(x);
        var my = Filter(y);
        var vx = Filter(x * x) - mx * mx;
        var vy = Filter(y * y) - my * my;
        var cxy = Filter(x * y) - mx * my;
        var map = (2 * mx * my + _c1) * (2 * cxy + _c2) / ((mx * mx + my * my + _c1) * (vx + vy + _c2));
        return map.mean([1, 2, 3]).MoveToOuterDisposeScope();
    }

    /// <summary>1 − mean SSIM over the batch (a loss to minimise).</summary>
    public Tensor Loss(Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        return (1 - Ssim(x, y).mean()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _rows.Dispose();
        _columns.Dispose();
    }

    private Tensor Filter(Tensor images) => matmul(matmul(_rows, images), _columns);

    private static Tensor Banded(int size, double[] weights, Device? device)
    {
        int window = weights.Length, valid = size - window + 1;
        var values = new float[valid * size];
        for (int r = 0; r < valid; r++)
        {
            for (int t = 0; t < window; t++)
            {
                values[r * size + r + t] = (float)weights[t];
            }
        }
        return tensor(values, [valid, size], device: device);
    }
}
