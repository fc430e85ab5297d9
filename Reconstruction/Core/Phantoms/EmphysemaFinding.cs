namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// A region of emphysema-like low attenuation: an ellipsoid (axis-aligned) clipped to the lung, at
/// <see cref="DensityHu"/> in its inner three quarters (normalised radius ≤ 0.75) and blending smoothly into the
/// surrounding parenchyma towards its surface. Vessels and airways still cross it.
/// </summary>
/// <param name="Id">Identifier within the case (e.g. "E1").</param>
/// <param name="Side">Which lung.</param>
/// <param name="Lobe">Approximate lobe of its centre.</param>
/// <param name="Center">Centre (mm), inside the lung.</param>
/// <param name="SemiAxisXMm">Semi-axis along x (mm).</param>
/// <param name="SemiAxisYMm">Semi-axis along y (mm).</param>
/// <param name="SemiAxisZMm">Semi-axis along z (mm).</param>
/// <param name="DensityHu">Attenuation in the core of the region (HU).</param>
/// <param name="VolumeMl">Volume of lung inside the ellipsoid (mL), measured on a 2 mm lattice.</param>
public sealed record EmphysemaFinding(
    string Id,
    BodySide Side,
    LungLobe Lobe,
    PointMm Center,
    double SemiAxisXMm,
    double SemiAxisYMm,
    double SemiAxisZMm,
    double DensityHu,
    double VolumeMl);
