namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// Lobe of the lung a finding lies in. The phantom has no rendered fissures: lobes follow approximate fissure
/// planes (oblique fissure from the posterior upper thorax to the anterior diaphragm; on the right a horizontal
/// fissure between upper and middle lobe), good enough for report wording.
/// </summary>
public enum LungLobe
{
    /// <summary>Right upper lobe.</summary>
    RightUpper,

    /// <summary>Right middle lobe.</summary>
    RightMiddle,

    /// <summary>Right lower lobe.</summary>
    RightLower,

    /// <summary>Left upper lobe (including the lingula).</summary>
    LeftUpper,

    /// <summary>Left lower lobe.</summary>
    LeftLower,
}
