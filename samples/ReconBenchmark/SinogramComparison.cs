namespace FedNano.Samples.ReconBenchmark;

/// <summary>How far a computed projection lies from the exact one: Σ|p − p_exact| / Σ|p_exact|.</summary>
internal static class SinogramComparison
{
    /// <summary>The relative L1 difference of two equally long arrays.</summary>
    /// <exception cref="ArgumentException">The lengths differ or the reference is all zero.</exception>
    public static double RelativeL1(ReadOnlySpan<float> computed, ReadOnlySpan<float> exact)
    {
        if (computed.Length != exact.Length)
        {
            throw new ArgumentException($"Cannot compare {computed.Length} values with {exact.Length}.", nameof(computed));
        }
        double difference = 0, reference = 0;
        for (int i = 0; i < exact.Length; i++)
        {
            difference += Math.Abs(computed[i] - exact[i]);
            reference += Math.Abs(exact[i]);
        }
        return reference > 0 ? difference / reference : throw new ArgumentException("The exact projection is all zero.", nameof(exact));
    }
}
