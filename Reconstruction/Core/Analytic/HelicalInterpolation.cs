namespace FedNano.Reconstruction.Analytic;

/// <summary>Helical z-interpolation schemes that turn multi-row helical data into a fan-beam sinogram.</summary>
public enum HelicalInterpolation
{
    /// <summary>
    /// 360° linear interpolation: for each ray, the two measured samples nearest the slice in z among views with
    /// the same source angle (one or more rotations apart) and all measured rows; a full rotation of views.
    /// </summary>
    Li360,

    /// <summary>
    /// 180° linear interpolation: as <see cref="Li360"/> but also using the complementary rays (β + π + 2γ, −γ),
    /// which lie half a rotation away and so closer in z; a short scan (π + 2δ) reconstructed with Parker weights.
    /// </summary>
    Li180,
}
