namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// A dense dental restoration (filling) in the occlusal part of a tooth crown: an axis-aligned ellipsoid that
/// replaces enamel and dentin inside the crown. Its density is capped below 3000 HU (real amalgam exceeds the
/// HU range of many scanners; the phantom keeps values representable).
/// </summary>
/// <param name="Id">Identifier within the case (e.g. "D1").</param>
/// <param name="ToothFdi">The tooth, in FDI two-digit notation (quadrant 1–4, tooth 1–8; e.g. 36 = lower left first molar).</param>
/// <param name="Center">Centre (mm).</param>
/// <param name="WidthMm">Extent in x and y (mm).</param>
/// <param name="HeightMm">Extent in z (mm).</param>
/// <param name="DensityHu">Attenuation (HU).</param>
public sealed record DentalFillingFinding(
    string Id,
    int ToothFdi,
    PointMm Center,
    double WidthMm,
    double HeightMm,
    double DensityHu);
