namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// A free pleural effusion: fluid in the dependent (posterior, +y, for a supine patient) part of one pleural
/// space below a horizontal fluid level that deepens towards the lung base.
/// </summary>
/// <param name="Id">Identifier within the case (e.g. "P1").</param>
/// <param name="Side">Which pleural space.</param>
/// <param name="MaxDepthMm">Greatest anteroposterior thickness of the fluid (mm), measured on the rendered shape.</param>
/// <param name="VolumeMl">Fluid volume (mL) measured on a 2 mm lattice; null where not known.</param>
/// <param name="DensityHu">Attenuation of the fluid (HU).</param>
/// <param name="TopZMm">Highest z (mm) the fluid reaches.</param>
public sealed record PleuralEffusionFinding(
    string Id,
    BodySide Side,
    double MaxDepthMm,
    double? VolumeMl,
    double DensityHu,
    double TopZMm);
