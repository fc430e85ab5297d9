using System.Globalization;
using FedNano.Reconstruction.Analytic;
using FedNano.Reconstruction.Phantoms;

namespace FedNano.Samples.ReconBenchmark;

/// <summary>A circular region of interest of a reconstructed slice, compared with the phantom it came from.</summary>
/// <param name="Name">What the region lies in.</param>
/// <param name="CenterXMm">Centre x (mm).</param>
/// <param name="CenterYMm">Centre y (mm).</param>
/// <param name="RadiusMm">Radius (mm).</param>
internal sealed record SliceRoi(string Name, double CenterXMm, double CenterYMm, double RadiusMm)
{
    /// <summary>Largest |reconstructed − phantom| mean (HU) that still counts as a correct reconstruction.</summary>
    public const double ToleranceHu = 5.0;

    /// <summary>
    /// Mean HU of <paramref name="image"/> (μ, 1/mm, row-major on <paramref name="grid"/>) and of the phantom at the
    /// same pixel centres in the plane z = 0.
    /// </summary>
    public (double ReconstructedHu, double PhantomHu) Compare(ReadOnlySpan<float> image, ImageGrid2D grid, SheppLogan3D phantom)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(phantom);
        double sum = 0, truth = 0;
        int count = 0;
        for (int j = 0; j < grid.Size; j++)
        {
            for (int i = 0; i < grid.Size; i++)
            {
                double x = grid.XMm(i), y = grid.YMm(j);
                if ((x - CenterXMm) * (x - CenterXMm) + (y - CenterYMm) * (y - CenterYMm) > RadiusMm * RadiusMm)
                {
                    continue;
                }
                sum += image[j * grid.Size + i];
                truth += phantom.Value(x, y, 0);
                count++;
            }
        }
        if (count == 0)
        {
            throw new ArgumentException($"ROI '{Name}' contains no pixel centre.");
        }
        double mu = phantom.MuWaterPerMm;
        return (1000 * (sum / count - mu) / mu, 1000 * (truth / count - mu) / mu);
    }

    /// <summary>Compares and describes the result; <paramref name="ok"/> is false when off by more than <see cref="ToleranceHu"/>.</summary>
    public string Check(ReadOnlySpan<float> image, ImageGrid2D grid, SheppLogan3D phantom, out bool ok)
    {
        (double got, double want) = Compare(image, grid, phantom);
        ok = Math.Abs(got - want) <= ToleranceHu;
        return string.Create(CultureInfo.InvariantCulture, $"{Name}: {got:F1} HU vs phantom {want:F1} HU");
    }
}
