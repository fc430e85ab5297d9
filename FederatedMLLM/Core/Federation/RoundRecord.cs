namespace FedNano.FederatedMLLM.Federation;

/// <summary>One round as the coordinator remembers it (the REST view and the snapshot show these).</summary>
public sealed class RoundRecord
{
    /// <summary>Round number.</summary>
    public int Round { get; set; }

    /// <summary>"open", "aggregated" or "abandoned".</summary>
    public string State { get; set; } = "open";

    /// <summary>When it opened.</summary>
    public DateTimeOffset OpenedUtc { get; set; }

    /// <summary>When it closes at the latest.</summary>
    public DateTimeOffset DeadlineUtc { get; set; }

    /// <summary>When it closed; null while open.</summary>
    public DateTimeOffset? ClosedUtc { get; set; }

    /// <summary>Global adapter version it started from.</summary>
    public string StartVersion { get; set; } = "";

    /// <summary>Global adapter version it produced (aggregated rounds).</summary>
    public string? ResultVersion { get; set; }

    /// <summary>Sites selected.</summary>
    public List<string> Selected { get; set; } = [];

    /// <summary>Sites whose update was accepted, with their sample counts.</summary>
    public Dictionary<string, long> Accepted { get; set; } = [];

    /// <summary>Sites whose update was rejected, with the reason.</summary>
    public Dictionary<string, string> Rejected { get; set; } = [];

    /// <summary>Site-reported metrics (e.g. final local loss) by site.</summary>
    public Dictionary<string, double> Loss { get; set; } = [];

    /// <summary>Sites that privatised their update, with what they reported ("clip C, noise multiplier σ").</summary>
    public Dictionary<string, string> Privacy { get; set; } = [];
}
