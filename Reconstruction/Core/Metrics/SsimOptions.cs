namespace FedNano.Reconstruction.Metrics;

/// <summary>
/// Parameters of the structural similarity index (Wang, Bovik, Sheikh, Simoncelli, IEEE TIP 13:600–612, 2004).
/// The defaults are the paper's: an 11 × 11 Gaussian window with σ = 1.5 pixels, K1 = 0.01, K2 = 0.03.
/// </summary>
/// <remarks>
/// The window weights are w(t) = exp(−t²/(2σ²)) for integer offsets |t| ≤ (WindowSize − 1)/2, normalised to sum 1,
/// applied separably along rows and columns. With the defaults this is the same 11-tap kernel as
/// <c>scipy.ndimage.gaussian_filter(sigma=1.5, truncate=3.5)</c>, which
/// <c>skimage.metrics.structural_similarity(gaussian_weights=True)</c> uses.
/// </remarks>
public sealed record SsimOptions
{
    /// <summary>The paper's parameters (11 × 11, σ = 1.5, K1 = 0.01, K2 = 0.03).</summary>
    public static SsimOptions Wang2004 { get; } = new();

    /// <summary>Side of the square window in pixels; odd, at least 3.</summary>
    public int WindowSize { get; init; } = 11;

    /// <summary>Standard deviation of the Gaussian window weights, in pixels; positive.</summary>
    public double GaussianSigmaPixels { get; init; } = 1.5;

    /// <summary>Luminance stabiliser: C1 = (K1·L)² with L the data range; positive.</summary>
    public double K1 { get; init; } = 0.01;

    /// <summary>Contrast stabiliser: C2 = (K2·L)² with L the data range; positive.</summary>
    public double K2 { get; init; } = 0.03;

    /// <summary>Pixels excluded at each image edge: the SSIM map is evaluated only where the whole window fits.</summary>
    public int BorderPixels => (WindowSize - 1) / 2;

    /// <summary>Checks the parameters.</summary>
    /// <exception cref="ArgumentException">The window size is even or below 3, or σ, K1 or K2 is not positive and finite.</exception>
    public void Validate()
    {
        if (WindowSize < 3 || WindowSize % 2 == 0)
        {
            throw new ArgumentException($"SSIM window size must be odd and at least 3 (got {WindowSize}).", nameof(WindowSize));
        }
        if (!(GaussianSigmaPixels > 0) || !double.IsFinite(GaussianSigmaPixels))
        {
            throw new ArgumentException($"SSIM Gaussian sigma must be positive and finite (got {GaussianSigmaPixels} px).", nameof(GaussianSigmaPixels));
        }
        if (!(K1 > 0) || !double.IsFinite(K1) || !(K2 > 0) || !double.IsFinite(K2))
        {
            throw new ArgumentException($"SSIM constants K1 = {K1}, K2 = {K2} must be positive and finite.", nameof(K1));
        }
    }

    /// <summary>The normalised 1D window weights, length <see cref="WindowSize"/>.</summary>
    internal double[] GaussianWeights()
    {
        int radius = BorderPixels;
        var weights = new double[WindowSize];
        double sum = 0;
        for (int t = -radius; t <= radius; t++)
        {
            double w = Math.Exp(-0.5 * t * t / (GaussianSigmaPixels * GaussianSigmaPixels));
            weights[t + radius] = w;
            sum += w;
        }
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] /= sum;
        }
        return weights;
    }
}
