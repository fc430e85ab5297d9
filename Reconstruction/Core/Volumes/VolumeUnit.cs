namespace FedNano.Reconstruction.Volumes;

/// <summary>What the voxel values of a <see cref="CtVolume"/> mean.</summary>
public enum VolumeUnit
{
    /// <summary>Hounsfield units: 1000·(μ − μ_water)/μ_water; air −1000, water 0.</summary>
    Hounsfield,

    /// <summary>Linear attenuation coefficient μ (1/mm).</summary>
    AttenuationPerMm,
}
