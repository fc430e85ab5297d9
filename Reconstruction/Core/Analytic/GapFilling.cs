namespace FedNano.Reconstruction.Analytic;

/// <summary>How rebinning fills samples that fall on rows a sparse detector did not measure.</summary>
public enum GapFilling
{
    /// <summary>Linear interpolation in z between the nearest measured rows of the same view.</summary>
    Linear,

    /// <summary>
    /// Use the complementary ray (β ± π + 2γ, −γ), measured half a rotation away at another table position, where
    /// it falls on measured rows; otherwise linear interpolation in z. On a detector with a
    /// quarter-channel offset the conjugate rays fall between channels and are interpolated in-plane, which can cost more
    /// sharpness than the gap filling gains: measure before choosing it.
    /// </summary>
    Complementary,
}
