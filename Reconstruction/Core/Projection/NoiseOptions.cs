namespace FedNano.Reconstruction.Projection;

/// <summary>
/// Quantum (Poisson) and electronic noise settings for simulated projections.
/// </summary>
/// <param name="IncidentPhotonsPerRay">
/// I0: unattenuated photons per ray and view at the central ray (γ = 0). Clinical low-dose data sit around
/// 1e4–1e5 (Yu et al., Med. Phys. 2012); the value must lie in (0, 1e12].
/// </param>
/// <param name="BowTieEdgeAttenuation">
/// k ≥ 0: bow-tie filter line integral at the nominal fan edge γ_max. The incident photons fall off smoothly as
/// I0(γ) = I0·exp(−k·(1 − cos γ)/(1 − cos γ_max)), so k = ln(I0(0)/I0(γ_max)); 0 means no bow-tie.
/// At most 20.
/// </param>
/// <param name="ElectronicNoiseSigma">
/// σ_e ≥ 0: standard deviation of additive Gaussian detector noise, in photon counts, added to the Poisson count
/// before the logarithm.
/// </param>
/// <param name="Seed">Seed of the noise realisation; the same seed gives the same noise on any number of threads.</param>
public sealed record NoiseOptions(
    double IncidentPhotonsPerRay,
    double BowTieEdgeAttenuation = 0,
    double ElectronicNoiseSigma = 0,
    long Seed = 1)
{
    /// <summary>Largest accepted <see cref="IncidentPhotonsPerRay"/>.</summary>
    public const double MaxIncidentPhotons = 1e12;

    /// <summary>Largest accepted <see cref="BowTieEdgeAttenuation"/>.</summary>
    public const double MaxBowTieEdgeAttenuation = 20;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is non-finite or out of its documented range.</exception>
    public void Validate()
    {
        if (!(IncidentPhotonsPerRay > 0) || !(IncidentPhotonsPerRay <= MaxIncidentPhotons))
        {
            throw new ArgumentException(
                $"Incident photons per ray must lie in (0, {MaxIncidentPhotons:G}] (got {IncidentPhotonsPerRay}).",
                nameof(IncidentPhotonsPerRay));
        }
        if (!(BowTieEdgeAttenuation >= 0) || !(BowTieEdgeAttenuation <= MaxBowTieEdgeAttenuation))
        {
            throw new ArgumentException(
                $"Bow-tie edge attenuation must lie in [0, {MaxBowTieEdgeAttenuation}] (got {BowTieEdgeAttenuation}).",
                nameof(BowTieEdgeAttenuation));
        }
        if (!(ElectronicNoiseSigma >= 0) || !double.IsFinite(ElectronicNoiseSigma))
        {
            throw new ArgumentException(
                $"Electronic noise sigma must be finite and non-negative (got {ElectronicNoiseSigma}).",
                nameof(ElectronicNoiseSigma));
        }
    }
}
