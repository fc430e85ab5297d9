namespace FedNano.Reconstruction.Analytic;

/// <summary>
/// Fan-beam filtered backprojection of one slice, equiangular (curved) or flat detector, full scan (2π) or short
/// scan (π + 2δ with Parker weights). Output is attenuation μ (1/mm) when the input is line integrals.
/// </summary>
public sealed class FanBeamFbp
{
    private readonly RampFilter _filter;
    private readonly double _shortScanDeltaRad;

    /// <summary>Prepares the filter for <paramref name="geometry"/>.</summary>
    /// <param name="geometry">Geometry of the sinograms this instance reconstructs.</param>
    /// <param name="grid">Output grid.</param>
    /// <param name="window">Ramp apodisation.</param>
    /// <param name="cutoff">Window cutoff as a fraction of Nyquist.</param>
    /// <exception cref="ArgumentException">The views cover neither a full rotation nor a short scan (π + 2·max fan angle).</exception>
    public FanBeamFbp(FanBeamGeometry geometry, ImageGrid2D grid, ReconstructionFilter window = ReconstructionFilter.RamLak, double cutoff = 1.0)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(grid);
        geometry.Validate();
        grid.Validate();
        Geometry = geometry;
        Grid = grid;
        _filter = new RampFilter(geometry, window, cutoff);
        if (!geometry.IsFullScan)
        {
            double covered = (geometry.Views - 1) * geometry.AngleStepRad;
            _shortScanDeltaRad = (covered - Math.PI) / 2;
            if (_shortScanDeltaRad < geometry.MaxFanAngleRad - 1e-9)
            {
                throw new ArgumentException(
                    $"{geometry.Views} views cover {covered:F3} rad: a fan-beam reconstruction needs a full rotation, or a short scan of at least π + 2·{geometry.MaxFanAngleRad:F3} rad.");
            }
        }
    }

    /// <summary>The sinogram geometry.</summary>
    public FanBeamGeometry Geometry { get; }

    /// <summary>The output grid.</summary>
    public ImageGrid2D Grid { get; }

    /// <summary>True when the geometry is a short scan reconstructed with Parker weights.</summary>
    public bool IsShortScan => !Geometry.IsFullScan;

    /// <summary>Reconstructs one slice (Size² values, row-major) from a view-major sinogram of line integrals.</summary>
    public float[] Reconstruct(ReadOnlySpan<float> sinogram)
    {
        float[] filtered = Filter(sinogram);
        return FanBeamBackprojector.Backproject(Geometry, filtered, Grid, IsShortScan ? 2.0 : 1.0);
    }

    /// <summary>The weighted (Parker for short scans) and filtered sinogram, before backprojection.</summary>
    public float[] Filter(ReadOnlySpan<float> sinogram)
    {
        if (sinogram.Length != Geometry.Views * Geometry.Channels)
        {
            throw new ArgumentException($"Expected {Geometry.Views} x {Geometry.Channels} samples, got {sinogram.Length}.", nameof(sinogram));
        }
        if (!IsShortScan)
        {
            return _filter.Apply(sinogram);
        }
        float[] weighted = sinogram.ToArray();
        ParkerWeights.Apply(Geometry, weighted, _shortScanDeltaRad);
        return _filter.Apply(weighted);
    }
}
