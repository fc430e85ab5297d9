using FedNano.Reconstruction.Analytic;
using FedNano.Reconstruction.Scans;

namespace FedNano.Reconstruction.Networks;

/// <summary>
/// Builds the cascade's input for one slice of a helical scan: the single-slice-rebinned fan-beam sinogram with gap rows
/// interpolated linearly in z, the measured mask, and the rebinned neighbouring virtual slices, laid out as
/// <see cref="ProjectionDomainCnn"/> expects ([C<sub>in</sub>, views, channels], float32, view-major).
/// </summary>
/// <remarks>
/// The rebinned rotation of slice z starts at whatever view angle the scan had there; the network's FBP expects view 0 at
/// <see cref="DualDomainGeometry.StartAngleRad"/>. The builder therefore rotates the views periodically by a whole
/// number of view steps and, when the scan's angles are offset from the network's by a fraction of a step,
/// interpolates linearly between neighbouring views (a full rotation is periodic, so no view is lost).
/// </remarks>
public sealed class DualDomainInputBuilder
{
    private readonly ProjectionScan _scan;
    private readonly DualDomainConfig _config;
    private readonly SingleSliceRebinner _rebinner;

    /// <summary>Prepares inputs of <paramref name="scan"/> for a cascade built from <paramref name="config"/>.</summary>
    /// <exception cref="NetworkCheckpointMismatchException">The scan's geometry or row pattern is not the network's.</exception>
    public DualDomainInputBuilder(ProjectionScan scan, DualDomainConfig config)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(config);
        var scanGeometry = DualDomainGeometry.FromHelical(scan.Geometry) with { StartAngleRad = config.Geometry.StartAngleRad };
        var differences = DualDomainConfig.AcquisitionDifferences(scanGeometry, scan.RowPattern.ToString(), null, config);
        if (differences.Count > 0)
        {
            throw new NetworkCheckpointMismatchException(
                $"The scan does not fit the network (trained for preset '{config.PresetName}', rows {config.RowPattern}): "
                + string.Join("; ", differences.Select(d => $"{d.Field}: scan has {d.Expected}, network has {d.Actual}")) + ".");
        }
        _scan = scan;
        _config = config;
        _rebinner = new SingleSliceRebinner(scan, GapFilling.Linear);
    }

    /// <summary>Values per input: C<sub>in</sub> · views · channels.</summary>
    public int InputLength => _config.ProjectionCnn.InputChannels * _config.Geometry.ViewsPerRotation * _config.Geometry.Channels;

    /// <summary>Slice positions whose input (neighbour slices included) lies inside the scanned range.</summary>
    public (double MinZMm, double MaxZMm) SliceRange
    {
        get
        {
            var (min, max) = _rebinner.SliceRange;
            double reach = _config.ProjectionCnn.NeighbourSlicesPerSide * _config.ProjectionCnn.NeighbourSliceSpacingMm;
            return (min + reach, max - reach);
        }
    }

    /// <summary>The input for slice <paramref name="sliceZMm"/>: [C<sub>in</sub>, views, channels].</summary>
    /// <exception cref="ArgumentException">The slice (or a neighbour) lies outside <see cref="SliceRange"/>.</exception>
    public float[] Build(double sliceZMm)
    {
        var input = new float[InputLength];
        Build(sliceZMm, input);
        return input;
    }

    /// <summary>Writes the input for slice <paramref name="sliceZMm"/> into <paramref name="target"/> (<see cref="InputLength"/> values).</summary>
    /// <exception cref="ArgumentException">The target has the wrong length, or the slice lies outside <see cref="SliceRange"/>.</exception>
    public void Build(double sliceZMm, Span<float> target)
    {
        if (target.Length != InputLength)
        {
            throw new ArgumentException($"Input buffer has {target.Length} values; {InputLength} needed.", nameof(target));
        }
        var (min, max) = SliceRange;
        if (!(sliceZMm >= min - 1e-6 && sliceZMm <= max + 1e-6))
        {
            throw new ArgumentException($"Slice z = {sliceZMm:F2} mm lies outside the range the network can reconstruct from this scan, [{min:F2}, {max:F2}] mm.");
        }
        int plane = _config.Geometry.ViewsPerRotation * _config.Geometry.Channels;
        var centre = _rebinner.Rebin(sliceZMm);
        Align(centre.Values, centre.Geometry.StartAngleRad, target[..plane]);
        Align(centre.MeasuredFraction!, centre.Geometry.StartAngleRad, target.Slice(plane, plane));
        var p = _config.ProjectionCnn;
        int channel = 2;
        for (int k = -p.NeighbourSlicesPerSide; k <= p.NeighbourSlicesPerSide; k++)
        {
            if (k == 0)
            {
                continue;
            }
            var neighbour = _rebinner.Rebin(sliceZMm + k * p.NeighbourSliceSpacingMm);
            Align(neighbour.Values, neighbour.Geometry.StartAngleRad, target.Slice(channel * plane, plane));
            channel++;
        }
    }

    /// <summary>
    /// Resamples a full-rotation sinogram whose view 0 lies at <paramref name="startAngleRad"/> onto the network's views
    /// (view m at <see cref="DualDomainGeometry.StartAngleRad"/> + m·Δβ).
    /// </summary>
    internal void Align(ReadOnlySpan<float> source, double startAngleRad, Span<float> target) =>
        AlignViews(source, startAngleRad, _config.Geometry, target);

    /// <summary>
    /// Resamples a full-rotation sinogram whose view 0 lies at <paramref name="startAngleRad"/> onto the views of
    /// <paramref name="geometry"/> (view m at <see cref="DualDomainGeometry.StartAngleRad"/> + m·Δβ).
    /// </summary>
    public static void AlignViews(ReadOnlySpan<float> source, double startAngleRad, DualDomainGeometry geometry, Span<float> target)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        int views = geometry.ViewsPerRotation, channels = geometry.Channels;
        if (source.Length != views * channels || target.Length != views * channels)
        {
            throw new ArgumentException($"Sinograms must hold {views} views x {channels} channels.", nameof(source));
        }
        double step = 2 * Math.PI / views;
        // Network view m sits at source position (m·Δβ + β_net − β_src)/Δβ, taken modulo the rotation.
        double offset = (geometry.StartAngleRad - startAngleRad) / step;
        offset -= Math.Floor(offset / views) * views;
        int whole = (int)Math.Floor(offset);
        double fraction = offset - whole;
        if (fraction < 1e-6 || fraction > 1 - 1e-6)
        {
            int shift = fraction < 0.5 ? whole : whole + 1;
            for (int m = 0; m < views; m++)
            {
                source.Slice((m + shift) % views * channels, channels).CopyTo(target.Slice(m * channels, channels));
            }
            return;
        }
        float b = (float)fraction, a = 1f - b;
        for (int m = 0; m < views; m++)
        {
            var lo = source.Slice((m + whole) % views * channels, channels);
            var hi = source.Slice((m + whole + 1) % views * channels, channels);
            var row = target.Slice(m * channels, channels);
            for (int c = 0; c < channels; c++)
            {
                row[c] = a * lo[c] + b * hi[c];
            }
        }
    }
}
