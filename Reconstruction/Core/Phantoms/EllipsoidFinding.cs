namespace FedNano.Reconstruction.Phantoms;

/// <summary>One ellipsoid of an analytic (Shepp–Logan type) phantom, in mm.</summary>
/// <param name="Index">Position in the phantom's ellipsoid list (0-based).</param>
/// <param name="Center">Centre (mm).</param>
/// <param name="SemiAxisXMm">Semi-axis along the ellipsoid's own x (mm).</param>
/// <param name="SemiAxisYMm">Semi-axis along the ellipsoid's own y (mm).</param>
/// <param name="SemiAxisZMm">Semi-axis along z (mm).</param>
/// <param name="RotationDeg">Counter-clockwise rotation about z (degrees).</param>
/// <param name="AdditiveDensity">Attenuation added inside, in units of μ_water.</param>
public sealed record EllipsoidFinding(
    int Index,
    PointMm Center,
    double SemiAxisXMm,
    double SemiAxisYMm,
    double SemiAxisZMm,
    double RotationDeg,
    double AdditiveDensity);
