namespace FedNano.Reconstruction.Analytic;

/// <summary>
/// A square reconstruction grid centred on the rotation axis: pixel (i, j) has its centre at
/// x = (i − (Size−1)/2)·PixelSpacingMm, y = (j − (Size−1)/2)·PixelSpacingMm; row j is image row j (y posterior).
/// </summary>
/// <param name="Size">Pixels per side.</param>
/// <param name="PixelSpacingMm">Pixel size (mm).</param>
public sealed record ImageGrid2D(int Size, double PixelSpacingMm)
{
    /// <summary>A grid of <paramref name="size"/> pixels spanning <paramref name="fieldOfViewMm"/>.</summary>
    public static ImageGrid2D ForFieldOfView(int size, double fieldOfViewMm) => new(size, fieldOfViewMm / size);

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">Size outside 1..4096 or a non-positive spacing.</exception>
    public void Validate()
    {
        if (Size < 1 || Size > 4096)
        {
            throw new ArgumentException($"Image size {Size} is outside 1..4096.");
        }
        if (!(PixelSpacingMm > 0) || !double.IsFinite(PixelSpacingMm))
        {
            throw new ArgumentException($"Pixel spacing {PixelSpacingMm} mm must be positive and finite.");
        }
    }

    /// <summary>x (mm) of column <paramref name="i"/>.</summary>
    public double XMm(double i) => (i - (Size - 1) / 2.0) * PixelSpacingMm;

    /// <summary>y (mm) of row <paramref name="j"/>.</summary>
    public double YMm(double j) => (j - (Size - 1) / 2.0) * PixelSpacingMm;
}
