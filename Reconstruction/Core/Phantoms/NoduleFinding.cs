using System.Text.Json.Serialization;

namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// A spherical pulmonary nodule as rendered. For a part-solid nodule <see cref="DensityHu"/> is the ground-glass
/// component and the solid core (concentric) has its own diameter and density; the density at the centre is then
/// <see cref="SolidComponentDensityHu"/>.
/// </summary>
/// <param name="Id">Identifier within the case (e.g. "N1").</param>
/// <param name="Center">Centre (mm).</param>
/// <param name="DiameterMm">Total diameter (mm).</param>
/// <param name="DensityHu">Attenuation of the nodule (of its ground-glass component when part-solid) (HU).</param>
/// <param name="Type">Solid, part-solid or ground-glass.</param>
/// <param name="Side">Which lung.</param>
/// <param name="Lobe">Approximate lobe.</param>
/// <param name="SolidComponentDiameterMm">Diameter of the solid core (mm); null unless part-solid.</param>
/// <param name="SolidComponentDensityHu">Attenuation of the solid core (HU); null unless part-solid.</param>
public sealed record NoduleFinding(
    string Id,
    PointMm Center,
    double DiameterMm,
    double DensityHu,
    NoduleType Type,
    BodySide Side,
    LungLobe Lobe,
    double? SolidComponentDiameterMm = null,
    double? SolidComponentDensityHu = null)
{
    /// <summary>The attenuation at the nodule's centre (HU): the solid core's when part-solid.</summary>
    [JsonIgnore]
    public double CenterDensityHu => SolidComponentDensityHu ?? DensityHu;
}
