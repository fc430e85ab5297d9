namespace FedNano.Samples.ReconBenchmark;

/// <summary>Which table a measurement belongs to.</summary>
internal enum MeasurementGroup
{
    /// <summary>Filtered backprojection of the 1152 × 736 sinogram into 512².</summary>
    Reconstruction,

    /// <summary>Forward projection.</summary>
    Projection,
}

/// <summary>One timed operation of one implementation, with its repetitions.</summary>
/// <param name="Id">Key used to pair a peer with the measurement of ours it is compared with.</param>
/// <param name="Group">The table it belongs to.</param>
/// <param name="Implementation">Who computed it (with version).</param>
/// <param name="What">Exactly what was computed.</param>
/// <param name="Seconds">Wall seconds of each timed repetition.</param>
/// <param name="CpuSeconds">CPU seconds (all threads) of each repetition; may be empty.</param>
/// <param name="UpdatesPerRun">Voxel-view updates per run (pixels × views), or null where it does not apply.</param>
/// <param name="SamplesPerRun">Ray samples (interpolations) per run, or null.</param>
/// <param name="PeakRssKb">Peak resident memory of the process that ran it (KiB), or null.</param>
/// <param name="TimeSource">How <paramref name="Seconds"/> was measured.</param>
/// <param name="Check">What the correctness check found.</param>
/// <param name="Ok">Whether the check passed.</param>
/// <param name="LoadAtStart">1-minute load average when the measurement's process started.</param>
/// <param name="ComparedWith">Id of our measurement this one is divided by in the "÷ ours" column, or null.</param>
/// <param name="AllocatedBytesPerRun">Managed bytes one call allocates (median), for ours; null for peers.</param>
internal sealed record Measurement(
    string Id,
    MeasurementGroup Group,
    string Implementation,
    string What,
    IReadOnlyList<double> Seconds,
    IReadOnlyList<double> CpuSeconds,
    double? UpdatesPerRun,
    double? SamplesPerRun,
    long? PeakRssKb,
    string TimeSource,
    string Check,
    bool Ok,
    double? LoadAtStart,
    string? ComparedWith = null,
    double? AllocatedBytesPerRun = null)
{
    /// <summary>Median of <see cref="Seconds"/>.</summary>
    public double Median => MedianOf(Seconds);

    /// <summary>Fastest repetition.</summary>
    public double Min => Seconds.Min();

    /// <summary>Median CPU seconds, or null.</summary>
    public double? MedianCpu => CpuSeconds.Count > 0 ? MedianOf(CpuSeconds) : null;

    private static double MedianOf(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        double[] v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
