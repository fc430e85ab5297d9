namespace FedNano.Reconstruction.Phantoms;

/// <summary>Approximate brain region of a finding (by position; the phantom has no rendered lobes).</summary>
public enum BrainRegion
{
    /// <summary>Frontal lobe.</summary>
    Frontal,

    /// <summary>Parietal lobe.</summary>
    Parietal,

    /// <summary>Temporal lobe.</summary>
    Temporal,

    /// <summary>Occipital lobe.</summary>
    Occipital,

    /// <summary>Cerebellum (posterior fossa).</summary>
    Cerebellar,
}
