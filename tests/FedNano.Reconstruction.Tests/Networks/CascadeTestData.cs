using FedNano.Reconstruction.Analytic;
using FedNano.Reconstruction.Networks;
using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Tests.Analytic;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Tests.Networks;

/// <summary>
/// A tiny scanner and data for the network tests: the small preset's R, D and fan angle with 48 channels (a quarter
/// channel offset) and 64 views per rotation, 32² images over 400 mm; slices of the 3D Shepp–Logan phantom (radius
/// 150 mm) with exact fan-beam line integrals, and bands of views treated as detector gaps (interpolated linearly
/// across, mask 0) as a rebinned sparse-row sinogram has them.
/// </summary>
internal static class CascadeTestData
{
    public const int Views = 64;
    public const int Channels = 48;
    public const int ImageSize = 32;

    /// <summary>Views that stand in for the gap rows of a sparse detector (two bands of 8 views).</summary>
    public static readonly (int First, int Last)[] GapBands = [(10, 17), (42, 49)];

    public static DualDomainGeometry TinyGeometry { get; } =
        new(595.0, 1085.6, DetectorShape.Curved, Channels, 1.2858 * 736 / Channels, Channels / 2 + 0.75, Views,
            16, 1.0947, 8.5, 1.0);

    /// <summary>The tiny scanner with small CNNs (projection 4 layers × 8, U-Net 2 levels × 8).</summary>
    public static DualDomainConfig TinyConfig(bool projectionCnn = true, bool imageCnn = true, int neighbourSlices = 0) => new()
    {
        PresetName = "custom",
        Geometry = TinyGeometry,
        RowPattern = "4x2g2",
        ImageSize = ImageSize,
        PixelSpacingMm = 400.0 / ImageSize,
        ProjectionCnn = new ProjectionDomainCnnOptions(Features: 8, Layers: 4, MaxViewDilation: 2,
            NeighbourSlicesPerSide: neighbourSlices, NeighbourSliceSpacingMm: neighbourSlices > 0 ? 1.5 : 0),
        ImageCnn = new ImageDomainCnnOptions(BaseFeatures: 8, Levels: 2),
        ProjectionCnnEnabled = projectionCnn,
        ImageCnnEnabled = imageCnn,
    };

    public static DualDomainCascade Cascade(DualDomainConfig config) => new(config);

    /// <summary>Same shape and every element equal (the bit-exactness checks).</summary>
    public static bool Identical(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>Exact sinograms of the phantom slices at <paramref name="slicesZMm"/>: [S, views, channels].</summary>
    public static Tensor TrueSinograms(params double[] slicesZMm)
    {
        var phantom = new SheppLogan3D(150.0);
        var fan = TinyGeometry.ToFanBeamGeometry();
        var values = slicesZMm.SelectMany(z => AnalyticFan.Sinogram(phantom, fan, z)).ToArray();
        return tensor(values, [slicesZMm.Length, Views, Channels]);
    }

    /// <summary>The phantom slices on the 32² grid (4×4 supersampled), μ (1/mm): [S, 1, N, N].</summary>
    public static Tensor TrueImages(params double[] slicesZMm)
    {
        var phantom = new SheppLogan3D(150.0);
        var grid = new ImageGrid2D(ImageSize, 400.0 / ImageSize);
        const int sub = 4;
        var values = new float[slicesZMm.Length * ImageSize * ImageSize];
        for (int s = 0; s < slicesZMm.Length; s++)
        {
            for (int j = 0; j < ImageSize; j++)
            {
                for (int i = 0; i < ImageSize; i++)
                {
                    double sum = 0;
                    for (int b = 0; b < sub; b++)
                    {
                        for (int a = 0; a < sub; a++)
                        {
                            sum += phantom.Value(grid.XMm(i + (a + 0.5) / sub - 0.5), grid.YMm(j + (b + 0.5) / sub - 0.5), slicesZMm[s]);
                        }
                    }
                    values[(s * ImageSize + j) * ImageSize + i] = (float)(sum / (sub * sub));
                }
            }
        }
        return tensor(values, [slicesZMm.Length, 1, ImageSize, ImageSize]);
    }

    /// <summary>
    /// Network input [S, 2, views, channels] from true sinograms: channel 0 with the gap bands replaced by linear
    /// interpolation between the measured views either side, channel 1 the measured mask.
    /// </summary>
    public static Tensor GappedInput(Tensor trueSinograms)
    {
        var filled = trueSinograms.clone();
        var mask = ones_like(trueSinograms);
        foreach (var (first, last) in GapBands)
        {
            var before = trueSinograms.select(1, first - 1);
            var after = trueSinograms.select(1, last + 1);
            for (int v = first; v <= last; v++)
            {
                double t = (v - (first - 1)) / (double)(last + 2 - first);
                filled.select(1, v).copy_(before * (1 - t) + after * t);
                mask.select(1, v).zero_();
            }
        }
        return stack([filled, mask], 1);
    }
}
