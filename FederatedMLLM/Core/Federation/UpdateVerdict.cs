namespace FedNano.FederatedMLLM.Federation;

/// <summary>Whether a site update enters aggregation, and if not, why (logged and audited; the round goes on).</summary>
/// <param name="Accepted">True when it is aggregated.</param>
/// <param name="Reason">Why it was rejected; null when accepted.</param>
/// <param name="UpdateNorm">‖θ_site − θ_global‖₂ when the layout allowed computing it.</param>
public sealed record UpdateVerdict(bool Accepted, string? Reason, double? UpdateNorm = null)
{
    /// <summary>A rejection for <paramref name="reason"/>.</summary>
    public static UpdateVerdict Reject(string reason, double? norm = null) => new(false, reason, norm);
}
