using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Scans;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Projection;

/// <summary>
/// Simulates a helical acquisition: plans the views covering the object's slices
/// (<see cref="HelicalScanPlan.Cover(HelicalGeometry, double, double)"/>), forward projects every detector row,
/// applies transmission noise when asked, zeroes the rows the sparse pattern does not measure, and returns the
/// <see cref="ProjectionScan"/> (its geometry starts at the plan's start z).
/// </summary>
public sealed class ScanSimulator
{
    /// <summary>Creates a simulator.</summary>
    /// <param name="maxDegreeOfParallelism">Worker threads for projection and noise (−1: all cores).</param>
    /// <exception cref="ArgumentException">The parallelism is 0 or below −1.</exception>
    public ScanSimulator(int maxDegreeOfParallelism = -1)
    {
        new ProjectorOptions(MaxDegreeOfParallelism: maxDegreeOfParallelism).Validate();
        MaxDegreeOfParallelism = maxDegreeOfParallelism;
    }

    /// <summary>Worker threads for projection and noise (−1: all cores).</summary>
    public int MaxDegreeOfParallelism { get; }

    /// <summary>Scans a voxel volume with a named preset (geometry and row pattern).</summary>
    /// <inheritdoc cref="Simulate(CtVolume, HelicalGeometry, SparseRowPattern, double, NoiseOptions?, ScanMetadata, IProgress{int}?, CancellationToken)"/>
    public ProjectionScan Simulate(
        CtVolume volume, GeometryPreset preset, double muWaterPerMm, NoiseOptions? noise, ScanMetadata metadata,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        return Simulate(volume, preset.Geometry, preset.RowPattern, muWaterPerMm, noise, metadata, progress, cancellationToken);
    }

    /// <summary>
    /// Scans a voxel volume (μ in 1/mm, or HU relative to <paramref name="muWaterPerMm"/>) so that every slice centre
    /// of its grid is covered, with the Joseph projector.
    /// </summary>
    /// <param name="volume">The object.</param>
    /// <param name="geometry">Scanner geometry (its start z is replaced by the plan's; its start angle is kept).</param>
    /// <param name="rowPattern">Measured detector rows; the others hold 0 in the result.</param>
    /// <param name="muWaterPerMm">μ_water (1/mm): converts a HU volume and is recorded in the scan.</param>
    /// <param name="noise">Noise settings, or null for noiseless line integrals.</param>
    /// <param name="metadata">Identity and acquisition values for the scan.</param>
    /// <param name="progress">Receives the number of views projected so far.</param>
    /// <param name="cancellationToken">Cancels the simulation (throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>The simulated scan.</returns>
    /// <exception cref="ArgumentException">The pattern does not fit the detector, μ_water or the noise settings are invalid, or the volume does not fit the scanner.</exception>
    public ProjectionScan Simulate(
        CtVolume volume, HelicalGeometry geometry, SparseRowPattern rowPattern, double muWaterPerMm, NoiseOptions? noise,
        ScanMetadata metadata, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(geometry);
        ValidateCommon(geometry, rowPattern, muWaterPerMm, noise, metadata);
        HelicalScanPlan plan = HelicalScanPlan.Cover(geometry, volume.Grid);
        return Simulate(volume, plan, rowPattern, muWaterPerMm, noise, metadata, progress, cancellationToken);
    }

    /// <summary>
    /// Scans a voxel volume along the views of <paramref name="plan"/> (e.g. a plan covering only part of the
    /// volume, whose extra slices supply the anatomy the outer views' cones reach; see
    /// <see cref="HelicalScanPlan.ReachZStartMm"/>).
    /// </summary>
    /// <param name="volume">The object (μ in 1/mm, or HU relative to <paramref name="muWaterPerMm"/>).</param>
    /// <param name="plan">The views; its geometry becomes the scan's geometry.</param>
    /// <param name="rowPattern">Measured detector rows; the others hold 0 in the result.</param>
    /// <param name="muWaterPerMm">μ_water (1/mm): converts a HU volume and is recorded in the scan.</param>
    /// <param name="noise">Noise settings, or null for noiseless line integrals.</param>
    /// <param name="metadata">Identity and acquisition values for the scan.</param>
    /// <param name="progress">Receives the number of views projected so far.</param>
    /// <param name="cancellationToken">Cancels the simulation (throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>The simulated scan.</returns>
    /// <exception cref="ArgumentException">The pattern does not fit the detector, μ_water or the noise settings are invalid, or the volume does not fit the scanner.</exception>
    public ProjectionScan Simulate(
        CtVolume volume, HelicalScanPlan plan, SparseRowPattern rowPattern, double muWaterPerMm, NoiseOptions? noise,
        ScanMetadata metadata, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(plan);
        ValidateCommon(plan.Geometry, rowPattern, muWaterPerMm, noise, metadata);
        var projector = new HelicalProjector(new ProjectorOptions(muWaterPerMm, MaxDegreeOfParallelism));
        float[] data = projector.Project(volume, plan, progress, cancellationToken);
        return Finish(plan, rowPattern, data, muWaterPerMm, noise, metadata, cancellationToken);
    }

    /// <summary>Scans an analytic phantom with a named preset (geometry and row pattern).</summary>
    /// <inheritdoc cref="Simulate(SheppLogan3D, double, double, double, HelicalGeometry, SparseRowPattern, NoiseOptions?, ScanMetadata, IProgress{int}?, CancellationToken)"/>
    public ProjectionScan Simulate(
        SheppLogan3D phantom, double phantomCenterZMm, double zStartMm, double zEndMm, GeometryPreset preset,
        NoiseOptions? noise, ScanMetadata metadata, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        return Simulate(phantom, phantomCenterZMm, zStartMm, zEndMm, preset.Geometry, preset.RowPattern, noise, metadata,
            progress, cancellationToken);
    }

    /// <summary>
    /// Scans an analytic phantom with exact line integrals (<see cref="AnalyticProjector"/>) so that slices
    /// <paramref name="zStartMm"/>..<paramref name="zEndMm"/> are covered; μ_water is the phantom's.
    /// </summary>
    /// <param name="phantom">The analytic phantom.</param>
    /// <param name="phantomCenterZMm">z (mm) of the phantom's centre.</param>
    /// <param name="zStartMm">Lowest slice z to cover (mm).</param>
    /// <param name="zEndMm">Highest slice z to cover (mm).</param>
    /// <param name="geometry">Scanner geometry (its start z is replaced by the plan's; its start angle is kept).</param>
    /// <param name="rowPattern">Measured detector rows; the others hold 0 in the result.</param>
    /// <param name="noise">Noise settings, or null for noiseless line integrals.</param>
    /// <param name="metadata">Identity and acquisition values for the scan.</param>
    /// <param name="progress">Receives the number of views projected so far.</param>
    /// <param name="cancellationToken">Cancels the simulation (throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>The simulated scan.</returns>
    /// <exception cref="ArgumentException">The pattern does not fit the detector, the range is invalid, or the noise settings are invalid.</exception>
    public ProjectionScan Simulate(
        SheppLogan3D phantom, double phantomCenterZMm, double zStartMm, double zEndMm, HelicalGeometry geometry,
        SparseRowPattern rowPattern, NoiseOptions? noise, ScanMetadata metadata,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        ArgumentNullException.ThrowIfNull(geometry);
        ValidateCommon(geometry, rowPattern, phantom.MuWaterPerMm, noise, metadata);
        HelicalScanPlan plan = HelicalScanPlan.Cover(geometry, zStartMm, zEndMm);
        return Simulate(phantom, phantomCenterZMm, plan, rowPattern, noise, metadata, progress, cancellationToken);
    }

    /// <summary>Scans an analytic phantom with exact line integrals along the views of <paramref name="plan"/>.</summary>
    /// <param name="phantom">The analytic phantom.</param>
    /// <param name="phantomCenterZMm">z (mm) of the phantom's centre.</param>
    /// <param name="plan">The views; its geometry becomes the scan's geometry.</param>
    /// <param name="rowPattern">Measured detector rows; the others hold 0 in the result.</param>
    /// <param name="noise">Noise settings, or null for noiseless line integrals.</param>
    /// <param name="metadata">Identity and acquisition values for the scan.</param>
    /// <param name="progress">Receives the number of views projected so far.</param>
    /// <param name="cancellationToken">Cancels the simulation (throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>The simulated scan.</returns>
    /// <exception cref="ArgumentException">The pattern does not fit the detector or the noise settings are invalid.</exception>
    public ProjectionScan Simulate(
        SheppLogan3D phantom, double phantomCenterZMm, HelicalScanPlan plan, SparseRowPattern rowPattern,
        NoiseOptions? noise, ScanMetadata metadata, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        ArgumentNullException.ThrowIfNull(plan);
        ValidateCommon(plan.Geometry, rowPattern, phantom.MuWaterPerMm, noise, metadata);
        var projector = new AnalyticProjector(new ProjectorOptions(phantom.MuWaterPerMm, MaxDegreeOfParallelism));
        float[] data = projector.Project(phantom, plan, phantomCenterZMm, progress, cancellationToken);
        return Finish(plan, rowPattern, data, phantom.MuWaterPerMm, noise, metadata, cancellationToken);
    }

    /// <summary>
    /// Turns noiseless line integrals of every detector row along <paramref name="plan"/> (as
    /// <see cref="HelicalProjector.Project(CtVolume, HelicalScanPlan, IProgress{int}?, CancellationToken)"/> returns them)
    /// into an acquisition: a copy gets transmission noise when asked and the rows <paramref name="rowPattern"/> does not
    /// measure zeroed. One projection can so serve several acquisitions of the same object (a dense noiseless reference
    /// and sparse noisy scans, as training pairs need).
    /// </summary>
    /// <returns>The scan; <paramref name="lineIntegrals"/> is left unchanged.</returns>
    /// <exception cref="ArgumentException">The data do not fit the plan, or the pattern, μ_water or the noise settings are invalid.</exception>
    public ProjectionScan Acquire(
        HelicalScanPlan plan, SparseRowPattern rowPattern, ReadOnlySpan<float> lineIntegrals, double muWaterPerMm,
        NoiseOptions? noise, ScanMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ValidateCommon(plan.Geometry, rowPattern, muWaterPerMm, noise, metadata);
        long expected = (long)plan.Views * plan.Geometry.Rows * plan.Geometry.Channels;
        if (lineIntegrals.Length != expected)
        {
            throw new ArgumentException(
                $"Line integrals have {lineIntegrals.Length} samples; the plan needs {plan.Views} views x {plan.Geometry.Rows} rows x {plan.Geometry.Channels} channels = {expected}.",
                nameof(lineIntegrals));
        }
        return Finish(plan, rowPattern, lineIntegrals.ToArray(), muWaterPerMm, noise, metadata, cancellationToken);
    }

    private static void ValidateCommon(
        HelicalGeometry geometry, SparseRowPattern rowPattern, double muWaterPerMm, NoiseOptions? noise, ScanMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(rowPattern);
        ArgumentNullException.ThrowIfNull(metadata);
        if (rowPattern.DetectorRows != geometry.Rows)
        {
            throw new ArgumentException(
                $"Row pattern is for {rowPattern.DetectorRows} rows, the detector has {geometry.Rows}.", nameof(rowPattern));
        }
        new ProjectorOptions(muWaterPerMm).Validate();
        noise?.Validate();
    }

    private ProjectionScan Finish(
        HelicalScanPlan plan, SparseRowPattern rowPattern, float[] data, double muWaterPerMm, NoiseOptions? noise,
        ScanMetadata metadata, CancellationToken cancellationToken)
    {
        HelicalGeometry geometry = plan.Geometry;
        float[]? photons = null;
        if (noise is not null)
        {
            var model = new PoissonNoise(noise);
            photons = model.PhotonsPerChannel(geometry);
            model.Apply(data, geometry, rowPattern, MaxDegreeOfParallelism, cancellationToken);
        }
        if (!rowPattern.IsDense)
        {
            int rows = geometry.Rows, channels = geometry.Channels;
            for (int view = 0; view < plan.Views; view++)
            {
                for (int row = 0; row < rows; row++)
                {
                    if (!rowPattern.IsActive(row))
                    {
                        data.AsSpan((view * rows + row) * channels, channels).Clear();
                    }
                }
            }
        }
        return new ProjectionScan(
            geometry, rowPattern, data, plan.CopyViewAngles(), plan.CopyViewZ(), muWaterPerMm, metadata, photons);
    }
}
