namespace FedNano.Reconstruction.Phantoms;

/// <summary>How a Shepp–Logan phantom was scaled (its ellipsoids are listed in <see cref="PhantomFindings.Ellipsoids"/>).</summary>
/// <param name="RadiusMm">Physical radius (mm) of the normalised unit ball.</param>
/// <param name="MuWaterPerMm">Attenuation of water (1/mm) used for the μ → HU conversion.</param>
public sealed record SheppLoganLayout(double RadiusMm, double MuWaterPerMm);
