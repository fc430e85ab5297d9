using FedNano.Reconstruction.Analytic;
using FedNano.Reconstruction.Phantoms;

namespace FedNano.Reconstruction.Tests.Analytic;

public class FanBeamFbpTests
{
    private const double MuWater = 0.0192;
    private static readonly ImageGrid2D Grid = new(128, 3.0);

    // A water cylinder of radius 150 mm with two inserts (bone-like +1.0 and air-like −0.8 relative to water).
    private static SheppLogan3D Cylinder() => new(
    [
        new Ellipsoid(0, 0, 0, 1.0, 1.0, 10, 0, 1.0),
        new Ellipsoid(0.4, 0.1, 0, 0.2, 0.2, 10, 0, 1.0),
        new Ellipsoid(-0.35, -0.3, 0, 0.15, 0.25, 10, 30, -0.8),
    ], 150.0, MuWater);

    private static FanBeamGeometry SmallFullScan(DetectorShape shape = DetectorShape.Curved)
    {
        var g = GeometryPresets.Get("small").Geometry;
        var fan = FanBeamGeometry.FullRotation(g, 0.3);
        if (shape == DetectorShape.Flat)
        {
            // A flat detector spanning the same fan angle.
            double halfWidth = g.SourceToDetectorMm * Math.Tan(g.FanHalfAngleRad);
            fan = fan with { Shape = DetectorShape.Flat, ChannelSpacingMm = 2 * halfWidth / g.Channels };
        }
        return fan;
    }

    [Theory]
    [InlineData(DetectorShape.Curved)]
    [InlineData(DetectorShape.Flat)]
    public void Full_scan_fbp_of_exact_line_integrals_reproduces_interior_attenuation(DetectorShape shape)
    {
        var fan = SmallFullScan(shape);
        var fbp = new FanBeamFbp(fan, Grid);
        float[] image = fbp.Reconstruct(AnalyticFan.Sinogram(Cylinder(), fan));

        var water = AnalyticFan.Roi(image, Grid, -30, 60, 25);
        var bone = AnalyticFan.Roi(image, Grid, 60, 15, 15);
        var air = AnalyticFan.Roi(image, Grid, -52, -45, 12);
        Assert.InRange(water.Mean / MuWater, 0.995, 1.005);
        Assert.InRange(bone.Mean / MuWater, 1.985, 2.015);
        Assert.InRange(air.Mean / MuWater, 0.19, 0.21);
        // Streaks from the high-contrast inserts at 360 views dominate the spread; a bare cylinder gives < 0.01 %.
        Assert.True(water.Std / MuWater < 0.025, $"water ROI std {water.Std / MuWater:P2} of μw");
    }

    [Fact]
    public void Short_scan_with_parker_weights_matches_the_full_scan()
    {
        var g = GeometryPresets.Get("small").Geometry;
        var (views, _) = ParkerWeights.ShortScan(g);
        var fanShort = FanBeamGeometry.FromHelical(g, views, 1.1);
        var fanFull = FanBeamGeometry.FullRotation(g, 1.1);
        var phantom = Cylinder();
        float[] shortImage = new FanBeamFbp(fanShort, Grid).Reconstruct(AnalyticFan.Sinogram(phantom, fanShort));
        float[] fullImage = new FanBeamFbp(fanFull, Grid).Reconstruct(AnalyticFan.Sinogram(phantom, fanFull));

        var water = AnalyticFan.Roi(shortImage, Grid, -30, 60, 25);
        Assert.InRange(water.Mean / MuWater, 0.99, 1.01);
        double diff = 0, norm = 0;
        for (int j = 0; j < Grid.Size; j++)
        {
            for (int i = 0; i < Grid.Size; i++)
            {
                if (Grid.XMm(i) * Grid.XMm(i) + Grid.YMm(j) * Grid.YMm(j) < 130 * 130)
                {
                    double d = shortImage[j * Grid.Size + i] - fullImage[j * Grid.Size + i];
                    diff += d * d;
                    norm += fullImage[j * Grid.Size + i] * (double)fullImage[j * Grid.Size + i];
                }
            }
        }
        Assert.True(Math.Sqrt(diff / norm) < 0.02, $"short vs full relative difference {Math.Sqrt(diff / norm):P2}");
    }

    [Fact]
    public void Too_few_views_for_a_short_scan_are_rejected()
    {
        var g = GeometryPresets.Get("small").Geometry;
        var fan = FanBeamGeometry.FromHelical(g, g.ViewsPerRotation / 2, 0);
        var ex = Assert.Throws<ArgumentException>(() => new FanBeamFbp(fan, Grid));
        Assert.Contains("short scan", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.3)]
    public void Parker_weights_of_conjugate_rays_sum_to_one(double gamma)
    {
        double delta = 0.45;
        for (double beta = 0; beta <= Math.PI + 2 * delta; beta += 0.01)
        {
            double conjugate = beta + Math.PI + 2 * gamma;
            double other = conjugate <= Math.PI + 2 * delta ? conjugate : beta - Math.PI + 2 * gamma;
            double sum = ParkerWeights.Weight(beta, gamma, delta) + ParkerWeights.Weight(other, -gamma, delta);
            Assert.InRange(sum, 1 - 1e-9, 1 + 1e-9);
        }
    }

    [Theory]
    [InlineData(ReconstructionFilter.SheppLogan)]
    [InlineData(ReconstructionFilter.Hann)]
    public void Windowed_filters_keep_the_mean_and_lower_the_noise(ReconstructionFilter window)
    {
        var fan = SmallFullScan();
        float[] sino = AnalyticFan.Sinogram(Cylinder(), fan);
        var random = new Random(7);
        for (int k = 0; k < sino.Length; k++)
        {
            sino[k] += (float)(0.02 * (random.NextDouble() - 0.5));
        }
        var ramLak = AnalyticFan.Roi(new FanBeamFbp(fan, Grid).Reconstruct(sino), Grid, -30, 60, 25);
        var smooth = AnalyticFan.Roi(new FanBeamFbp(fan, Grid, window).Reconstruct(sino), Grid, -30, 60, 25);
        Assert.InRange(smooth.Mean / MuWater, 0.99, 1.01);
        Assert.True(smooth.Std < ramLak.Std, $"{window} std {smooth.Std} should be below Ram-Lak's {ramLak.Std}");
    }

    [Fact]
    public void Fast_arctangent_is_accurate_to_a_microradian()
    {
        for (double x = -20; x <= 20; x += 0.001)
        {
            Assert.InRange(FanBeamBackprojector.Atan((float)x) - Math.Atan(x), -1e-6, 1e-6);
        }
    }
}

public class FanBeamBackprojectorTests
{
    [Theory]
    [InlineData(DetectorShape.Curved, 100)]
    [InlineData(DetectorShape.Flat, 61)]
    public void Vector_and_scalar_kernels_agree(DetectorShape shape, int size)
    {
        var g = GeometryPresets.Get("small").Geometry;
        var fan = FanBeamGeometry.FullRotation(g, 0.7) with { Shape = shape };
        var random = new Random(3);
        var filtered = new float[fan.Views * fan.Channels];
        for (int i = 0; i < filtered.Length; i++)
        {
            filtered[i] = (float)(random.NextDouble() - 0.5);
        }
        // A grid wider than the field of view, so some pixels fall outside the detector for some views.
        var grid = new ImageGrid2D(size, 700.0 / size);
        var scalar = new float[size * size];
        var vector = new float[size * size];
        FanBeamBackprojector.BackprojectInto(fan, filtered, grid, scalar, 1.0, allowVector: false);
        FanBeamBackprojector.BackprojectInto(fan, filtered, grid, vector, 1.0, allowVector: true);
        double maxAbs = scalar.Max(Math.Abs);
        for (int p = 0; p < scalar.Length; p++)
        {
            Assert.True(Math.Abs(scalar[p] - vector[p]) <= 1e-4 * maxAbs, $"pixel {p}: scalar {scalar[p]} vector {vector[p]}");
        }
    }
}
