using FedNano.Reconstruction;
using FedNano.Reconstruction.Analytic;
using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Projection;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Samples.ReconBenchmark;

/// <summary>
/// The 2D problem every 2D measurement shares: one rotation of the siemens-64 preset (1152 views × 736 curved
/// channels, R = 595 mm, D = 1085.6 mm) seen as a fan-beam sinogram of the plane z = 0, a 512 × 512 grid of 0.7 mm
/// pixels, and the 3D Shepp–Logan phantom of radius 170 mm centred at the origin.
/// </summary>
internal sealed class BenchmarkSlice
{
    /// <summary>Radius (mm) of the phantom's unit ball: the skull's outer semi-axes are 117 × 156 mm.</summary>
    public const double PhantomRadiusMm = 170.0;

    /// <summary>Reconstructed pixels per side.</summary>
    public const int ImageSize = 512;

    /// <summary>Reconstructed pixel size (mm).</summary>
    public const double PixelMm = 0.7;

    public BenchmarkSlice()
    {
        Scanner = GeometryPresets.Get("siemens-64").Geometry;
        Fan = FanBeamGeometry.FullRotation(Scanner, 0);
        // The same source circle and channels with a single row and no table feed: the helical projectors then
        // trace exactly the rays of the fan-beam sinogram above, in the plane z = 0.
        SingleRow = new HelicalGeometry(Scanner.SourceToIsocenterMm, Scanner.SourceToDetectorMm, Scanner.DetectorShape,
            Scanner.Channels, Scanner.ChannelSpacingMm, 1, Scanner.RowSpacingMm, Scanner.CentralChannel, 1.0,
            Scanner.ViewsPerRotation, 0.0, startAngleRad: 0.0, startZMm: 0.0);
        Plan = new HelicalScanPlan(SingleRow, Scanner.ViewsPerRotation);
        Grid = new ImageGrid2D(ImageSize, PixelMm);
        Phantom = new SheppLogan3D(PhantomRadiusMm);
    }

    /// <summary>The siemens-64 preset geometry.</summary>
    public HelicalGeometry Scanner { get; }

    /// <summary>The fan-beam geometry of one full rotation starting at angle 0.</summary>
    public FanBeamGeometry Fan { get; }

    /// <summary>The scanner reduced to one detector row at pitch 0.</summary>
    public HelicalGeometry SingleRow { get; }

    /// <summary>One rotation of <see cref="SingleRow"/> (1152 views at z = 0).</summary>
    public HelicalScanPlan Plan { get; }

    /// <summary>The 512² output grid.</summary>
    public ImageGrid2D Grid { get; }

    /// <summary>The phantom.</summary>
    public SheppLogan3D Phantom { get; }

    /// <summary>Pixels × views: the voxel-view updates of one backprojection (or pixel-driven projection) of the slice.</summary>
    public double VoxelViewUpdates => (double)ImageSize * ImageSize * Fan.Views;

    /// <summary>"1152 views × 736 channels".</summary>
    public string SinogramSize => $"{Fan.Views} views × {Fan.Channels} channels";

    /// <summary>The slice z = 0 of the phantom as a 1-slice μ volume on the output grid (2 × 2 subsamples per pixel).</summary>
    public CtVolume SliceVolume() =>
        Phantom.Voxelize(new VolumeGrid(ImageSize, ImageSize, 1, PixelMm, 1.0, 0.0), supersample: 2);

    /// <summary>Exact line integrals of the phantom for <see cref="Fan"/> (view-major, views × channels).</summary>
    public float[] ExactSinogram() => new AnalyticProjector().Project(Phantom, SingleRow, Plan);
}
