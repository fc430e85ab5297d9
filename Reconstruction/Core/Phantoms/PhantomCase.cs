using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Phantoms;

/// <summary>A generated phantom: its HU volume and the ground truth of what it contains.</summary>
/// <param name="Hounsfield">The volume in Hounsfield units.</param>
/// <param name="Findings">What was placed in it (for reports and evaluation).</param>
public sealed record PhantomCase(CtVolume Hounsfield, PhantomFindings Findings);
