namespace FedNano.Reconstruction.Analytic;

/// <summary>
/// A fan-beam sinogram of line integrals for one slice, view-major: <c>Values[view·Channels + channel]</c>.
/// <see cref="MeasuredFraction"/>, when present, tells per sample how much of it came from measured rows
/// (1 = interpolated between measured rows only, 0 = entirely filled across a gap); it is the mask a
/// learned gap filler is given.
/// </summary>
public sealed class FanBeamSinogram
{
    /// <summary>Wraps the arrays (not copied).</summary>
    /// <exception cref="ArgumentException">An array length does not match the geometry.</exception>
    public FanBeamSinogram(FanBeamGeometry geometry, float[] values, float[]? measuredFraction = null)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(values);
        geometry.Validate();
        long n = (long)geometry.Views * geometry.Channels;
        if (values.LongLength != n)
        {
            throw new ArgumentException($"A {geometry.Views} x {geometry.Channels} sinogram needs {n} values, got {values.LongLength}.", nameof(values));
        }
        if (measuredFraction is not null && measuredFraction.LongLength != n)
        {
            throw new ArgumentException($"The measured-fraction mask needs {n} values, got {measuredFraction.LongLength}.", nameof(measuredFraction));
        }
        Geometry = geometry;
        Values = values;
        MeasuredFraction = measuredFraction;
    }

    /// <summary>Geometry of the views and channels.</summary>
    public FanBeamGeometry Geometry { get; }

    /// <summary>Line integrals, view-major.</summary>
    public float[] Values { get; }

    /// <summary>Per-sample fraction taken from measured rows, or null when every sample was measured.</summary>
    public float[]? MeasuredFraction { get; }
}
