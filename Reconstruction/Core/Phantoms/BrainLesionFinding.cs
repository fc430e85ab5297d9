namespace FedNano.Reconstruction.Phantoms;

/// <summary>A spherical focal brain lesion as rendered.</summary>
/// <param name="Id">Identifier within the case (e.g. "B1").</param>
/// <param name="Center">Centre (mm).</param>
/// <param name="DiameterMm">Diameter (mm).</param>
/// <param name="DensityHu">Attenuation (HU).</param>
/// <param name="Type">Hypodense or hyperdense relative to brain.</param>
/// <param name="Side">Hemisphere.</param>
/// <param name="Region">Approximate lobe.</param>
public sealed record BrainLesionFinding(
    string Id,
    PointMm Center,
    double DiameterMm,
    double DensityHu,
    BrainLesionType Type,
    BodySide Side,
    BrainRegion Region);
