using System.Collections.Concurrent;
using FedNano.Reconstruction.Analytic;
using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Tests.Analytic;

namespace FedNano.Reconstruction.Tests.Networks;

/// <summary>Geometries, phantom sinograms and comparisons for the differentiable FBP tests.</summary>
internal static class FbpTestData
{
    /// <summary>One full rotation of the <c>small</c> preset (576 views × 368 curved channels).</summary>
    public static FanBeamGeometry SmallFullScan { get; } = FullScan(GeometryPresets.Get("small").Geometry, DetectorShape.Curved);

    /// <summary>One full rotation of the cheaper test scanner (360 views × 256 channels, same R, D and fan angle).</summary>
    public static FanBeamGeometry CompactFullScan(DetectorShape shape) => FullScan(TestGeometry.Compact, shape);

    // A full rotation from 0.3 rad; a flat detector spans the same fan angle as the scanner's curved one.
    private static FanBeamGeometry FullScan(HelicalGeometry g, DetectorShape shape)
    {
        var fan = FanBeamGeometry.FullRotation(g, 0.3);
        if (shape == DetectorShape.Flat)
        {
            double halfWidthMm = g.SourceToDetectorMm * Math.Tan(g.FanHalfAngleRad);
            fan = fan with { Shape = DetectorShape.Flat, ChannelSpacingMm = 2 * halfWidthMm / g.Channels };
        }
        return fan;
    }

    /// <summary>A Parker short scan of the <c>small</c> preset.</summary>
    public static FanBeamGeometry SmallShortScan
    {
        get
        {
            var g = GeometryPresets.Get("small").Geometry;
            return FanBeamGeometry.FromHelical(g, ParkerWeights.ShortScan(g).Views, 1.1);
        }
    }

    /// <summary>A 128² grid of 3 mm pixels: its corners lie outside the scan's field of view, so edge handling is exercised.</summary>
    public static ImageGrid2D Grid128 { get; } = new(128, 3.0);

    /// <summary>A 64² grid of 6 mm pixels over the same field as <see cref="Grid128"/>.</summary>
    public static ImageGrid2D Grid64 { get; } = new(64, 6.0);

    /// <summary>Exact line integrals of a water cylinder with a bone-like and an air-like insert (a fresh copy).</summary>
    public static float[] CylinderSinogram(FanBeamGeometry geometry) =>
        (float[])CylinderSinograms.GetOrAdd(geometry, g => AnalyticFan.Sinogram(new SheppLogan3D(
        [
            new Ellipsoid(0, 0, 0, 1.0, 1.0, 10, 0, 1.0),
            new Ellipsoid(0.4, 0.1, 0, 0.2, 0.2, 10, 0, 1.0),
            new Ellipsoid(-0.35, -0.3, 0, 0.15, 0.25, 10, 30, -0.8),
        ], 150.0), g)).Clone();

    /// <summary>Exact line integrals of the Shepp–Logan head phantom (radius 180 mm) through z = −45 mm (a fresh copy).</summary>
    public static float[] HeadSinogram(FanBeamGeometry geometry) =>
        (float[])HeadSinograms.GetOrAdd(geometry, g => AnalyticFan.Sinogram(new SheppLogan3D(180.0), g, -45.0)).Clone();

    // Several tests reconstruct the same phantoms: their exact projections are computed once per geometry.
    private static readonly ConcurrentDictionary<FanBeamGeometry, float[]> CylinderSinograms = new();
    private static readonly ConcurrentDictionary<FanBeamGeometry, float[]> HeadSinograms = new();

    /// <summary>Uniform values in [low, high), reproducible from <paramref name="seed"/>.</summary>
    public static float[] Uniform(int count, int seed, float low = -1f, float high = 1f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = low + (high - low) * random.NextSingle();
        }
        return values;
    }

    /// <summary>max |a − b| / max |b|.</summary>
    public static double RelativeMaxDifference(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double difference = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            difference = Math.Max(difference, Math.Abs((double)actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs((double)expected[i]));
        }
        return difference / scale;
    }

    /// <summary>Σ a·b in double.</summary>
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }
        return sum;
    }
}
