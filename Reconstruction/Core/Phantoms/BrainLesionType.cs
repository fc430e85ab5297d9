namespace FedNano.Reconstruction.Phantoms;

/// <summary>Attenuation of a brain lesion relative to brain parenchyma.</summary>
public enum BrainLesionType
{
    /// <summary>Darker than brain (e.g. infarct, oedema, cyst).</summary>
    Hypodense,

    /// <summary>Brighter than brain (e.g. acute haemorrhage).</summary>
    Hyperdense,
}
