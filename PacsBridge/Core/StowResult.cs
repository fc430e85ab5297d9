namespace FedNano.PacsBridge;

/// <summary>What a STOW-RS response said (PS3.18 §10.5.3): instances stored, instances refused with their failure reasons, and the overall status.</summary>
/// <param name="StatusCode">HTTP status: 200 all stored, 202 some stored or with warnings, 409 none stored.</param>
/// <param name="Stored">SOP Instance UIDs in the Referenced SOP Sequence.</param>
/// <param name="Failed">SOP Instance UIDs in the Failed SOP Sequence with their Failure Reason (PS3.4 codes, e.g. 0xA700, 0xC000).</param>
/// <param name="RetrieveUrl">The study's Retrieve URL, when given.</param>
public sealed record StowResult(int StatusCode, IReadOnlyList<string> Stored, IReadOnlyList<(string SopInstanceUid, int FailureReason)> Failed, string? RetrieveUrl)
{
    /// <summary>True when every instance sent was stored.</summary>
    public bool AllStored => Failed.Count == 0 && StatusCode is 200 or 202;
}
