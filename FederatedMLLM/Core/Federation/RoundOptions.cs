namespace FedNano.FederatedMLLM.Federation;

/// <summary>How the coordinator runs rounds (bound from <c>Federation:Rounds</c>).</summary>
public sealed class RoundOptions
{
    /// <summary>Checked-in sites needed before a round opens.</summary>
    public int MinClients { get; set; } = 2;

    /// <summary>Fraction of checked-in sites selected per round (at least <see cref="MinClients"/>).</summary>
    public double SampleFraction { get; set; } = 1.0;

    /// <summary>Seconds a round waits for its sites; then it closes with what arrived.</summary>
    public double RoundDeadlineSeconds { get; set; } = 600;

    /// <summary>Accepted updates a round needs at its deadline to be aggregated (otherwise it is abandoned, the global adapters unchanged).</summary>
    public int MinUpdates { get; set; } = 1;

    /// <summary>Rounds to run; the federation is finished after them.</summary>
    public int Rounds { get; set; } = 10;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value out of range, named.</exception>
    public void Validate()
    {
        if (MinClients < 1) throw new ArgumentException($"Rounds: MinClients must be ≥ 1, got {MinClients}.");
        if (!(SampleFraction > 0 && SampleFraction <= 1)) throw new ArgumentException($"Rounds: SampleFraction must lie in (0, 1], got {SampleFraction}.");
        if (!(RoundDeadlineSeconds > 0)) throw new ArgumentException($"Rounds: RoundDeadlineSeconds must be > 0, got {RoundDeadlineSeconds}.");
        if (MinUpdates < 1 || MinUpdates > MinClients) throw new ArgumentException($"Rounds: MinUpdates must lie in 1..MinClients, got {MinUpdates}.");
        if (Rounds < 1) throw new ArgumentException($"Rounds: Rounds must be ≥ 1, got {Rounds}.");
    }
}
