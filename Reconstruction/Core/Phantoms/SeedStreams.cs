namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// Independent random streams derived from one case seed. Seeding <see cref="Random"/> with consecutive integers,
/// or with values drawn from another seeded <see cref="Random"/>, gives visibly correlated first draws (the same
/// "random" finding for seeds 1, 2, 3, …), so each stream's seed goes through the SplitMix64 finaliser first.
/// </summary>
internal static class SeedStreams
{
    /// <summary>A generator for stream <paramref name="stream"/> of case <paramref name="seed"/>; deterministic.</summary>
    public static Random Create(int seed, int stream)
    {
        unchecked
        {
            ulong z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)(uint)stream * 0xD1B54A32D192ED03UL + 0x632BE59BD9B4E019UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return new Random((int)(z & 0x7FFFFFFF));
        }
    }
}
