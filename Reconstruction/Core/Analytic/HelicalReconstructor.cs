using FedNano.Reconstruction.Scans;
using FedNano.Reconstruction.Volumes;
using FedNano.Reconstruction.Workflows;

namespace FedNano.Reconstruction.Analytic;

/// <summary>
/// Reconstructs a stack of axial slices from a helical scan with an analytic method: per slice, rebin or
/// interpolate to a fan-beam sinogram, then fan-beam FBP; output in Hounsfield units with the scan's μ_water.
/// </summary>
public sealed class HelicalReconstructor
{
    private readonly ProjectionScan _scan;
    private readonly AnalyticReconstructionOptions _options;
    private readonly SingleSliceRebinner? _rebinner;
    private readonly HelicalInterpolator? _interpolator;

    /// <summary>Prepares reconstruction of <paramref name="scan"/>.</summary>
    public HelicalReconstructor(ProjectionScan scan, AnalyticReconstructionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scan);
        _scan = scan;
        _options = options ?? new AnalyticReconstructionOptions();
        switch (_options.Method)
        {
            case AnalyticMethod.SsrFbp:
                _rebinner = new SingleSliceRebinner(scan, _options.GapFilling);
                break;
            case AnalyticMethod.Li360:
                _interpolator = new HelicalInterpolator(scan, HelicalInterpolation.Li360);
                break;
            case AnalyticMethod.Li180:
                _interpolator = new HelicalInterpolator(scan, HelicalInterpolation.Li180);
                break;
            default:
                throw new ArgumentException($"Unknown method {_options.Method}.", nameof(options));
        }
    }

    /// <summary>
    /// The z range (mm) of slices this scan can reconstruct: slices need the views of a rotation (or short scan)
    /// centred on them.
    /// </summary>
    public (double MinZMm, double MaxZMm) SliceRange
    {
        get
        {
            int needed = _options.Method == AnalyticMethod.Li180
                ? _interpolator!.ShortScanViews
                : _scan.Geometry.ViewsPerRotation;
            if (_scan.Views < needed)
            {
                return (double.NaN, double.NaN);
            }
            double a = _scan.ViewZMm[needed / 2], b = _scan.ViewZMm[_scan.Views - needed + needed / 2];
            return (Math.Min(a, b), Math.Max(a, b));
        }
    }

    /// <summary>The fan-beam sinogram the method produces for one slice (before FBP).</summary>
    public FanBeamSinogram SinogramFor(double sliceZMm) => _rebinner is not null
        ? _rebinner.Rebin(sliceZMm)
        : _interpolator!.Interpolate(sliceZMm);

    /// <summary>Reconstructs one slice as attenuation μ (1/mm), Size² values row-major.</summary>
    public float[] ReconstructSliceAttenuation(double sliceZMm, ImageGrid2D grid)
    {
        var sinogram = SinogramFor(sliceZMm);
        var fbp = new FanBeamFbp(sinogram.Geometry, grid, _options.Filter, _options.FilterCutoff);
        return fbp.Reconstruct(sinogram.Values);
    }

    /// <summary>
    /// Reconstructs every slice of <paramref name="grid"/> (Nx must equal Ny) in Hounsfield units.
    /// </summary>
    /// <param name="grid">Output grid: slice positions, image size and pixel spacing.</param>
    /// <param name="progress">Receives the number of slices done.</param>
    /// <param name="cancellationToken">Stops between slices.</param>
    /// <param name="profile">When given, receives the time spent rebinning (or interpolating) and in the FBP.</param>
    /// <exception cref="ArgumentException">The grid is not square, or a slice lies outside <see cref="SliceRange"/>.</exception>
    public CtVolume Reconstruct(VolumeGrid grid, IProgress<int>? progress = null, CancellationToken cancellationToken = default,
        StageProfile? profile = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        grid.Validate();
        if (grid.Nx != grid.Ny)
        {
            throw new ArgumentException($"Reconstruction grids are square; got {grid.Nx}x{grid.Ny}.", nameof(grid));
        }
        var (min, max) = SliceRange;
        for (int k = 0; k < grid.Nz; k += Math.Max(1, grid.Nz - 1))
        {
            double z = grid.ZMm(k);
            if (!(z >= min - 1e-6 && z <= max + 1e-6))
            {
                throw new ArgumentException(
                    $"Slice z = {z:F2} mm is outside the range this scan supports for {AnalyticReconstructionOptions.MethodName(_options.Method)}: [{min:F2}, {max:F2}] mm.",
                    nameof(grid));
            }
        }
        var image = new ImageGrid2D(grid.Nx, grid.PixelSpacingMm);
        var values = new float[grid.VoxelCount];
        double muWater = _scan.MuWaterPerMm;
        int plane = grid.Nx * grid.Ny;
        for (int k = 0; k < grid.Nz; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            profile?.Skip();
            var sinogram = SinogramFor(grid.ZMm(k));
            profile?.Lap(StageProfile.Stages.Rebinning);
            var fbp = new FanBeamFbp(sinogram.Geometry, image, _options.Filter, _options.FilterCutoff);
            float[] mu = fbp.Reconstruct(sinogram.Values);
            profile?.Lap(StageProfile.Stages.Fbp);
            for (int p = 0; p < plane; p++)
            {
                values[k * plane + p] = (float)(1000.0 * (mu[p] - muWater) / muWater);
            }
            progress?.Report(k + 1);
        }
        return new CtVolume(grid, values, VolumeUnit.Hounsfield);
    }
}
