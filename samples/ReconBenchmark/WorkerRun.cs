namespace FedNano.Samples.ReconBenchmark;

/// <summary>The outcome of one worker process: its result lines, peak memory, check and the load when it started.</summary>
internal sealed record WorkerRun(ResultLines Lines, long? PeakRssKb, bool Ok, string Check, double? LoadAtStart)
{
    /// <summary>The measurement the worker reported under <paramref name="id"/> (<c>{id}.seconds</c>, <c>{id}.cpu</c>).</summary>
    public Measurement ToMeasurement(string id, MeasurementGroup group, string what, double? updates, double? samples) =>
        new("ours." + id, group, "FedNano", what, Lines.Numbers(id + ".seconds"), Lines.Numbers(id + ".cpu"), updates, samples,
            PeakRssKb, "Stopwatch around the call in the worker process (runtime start, data generation and one warm-up call excluded)",
            Check, Ok, LoadAtStart, AllocatedBytesPerRun: Lines.Number(id + ".alloc_bytes"));
}
