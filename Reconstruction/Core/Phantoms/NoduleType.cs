namespace FedNano.Reconstruction.Phantoms;

/// <summary>Attenuation category of a pulmonary nodule (Fleischner Society terms).</summary>
public enum NoduleType
{
    /// <summary>Soft-tissue attenuation throughout, obscuring vessels.</summary>
    Solid,

    /// <summary>A ground-glass nodule with a solid core.</summary>
    PartSolid,

    /// <summary>Hazy increased attenuation that does not reach soft tissue.</summary>
    GroundGlass,
}
