using FedNano.Reconstruction.Phantoms;

namespace FedNano.Reconstruction.Projection;

/// <summary>Settings shared by the forward projectors.</summary>
/// <param name="MuWaterPerMm">μ_water (1/mm) used to convert a Hounsfield volume to attenuation before projecting.</param>
/// <param name="MaxDegreeOfParallelism">Worker threads over views; −1 uses every core.</param>
public sealed record ProjectorOptions(
    double MuWaterPerMm = SheppLogan3D.DefaultMuWaterPerMm,
    int MaxDegreeOfParallelism = -1)
{
    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">μ_water is not positive and finite, or the parallelism is 0 or below −1.</exception>
    public void Validate()
    {
        if (!(MuWaterPerMm > 0) || !double.IsFinite(MuWaterPerMm))
        {
            throw new ArgumentException($"μ_water must be positive and finite (got {MuWaterPerMm} /mm).", nameof(MuWaterPerMm));
        }
        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentException(
                $"Max degree of parallelism must be −1 (all cores) or positive (got {MaxDegreeOfParallelism}).",
                nameof(MaxDegreeOfParallelism));
        }
    }
}
