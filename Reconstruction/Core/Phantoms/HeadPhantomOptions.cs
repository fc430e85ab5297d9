namespace FedNano.Reconstruction.Phantoms;

/// <summary>Options of <see cref="HeadPhantom"/>. Ranges are inclusive pairs Min ≤ Max.</summary>
public sealed record HeadPhantomOptions
{
    /// <summary>Smallest overall head scale (1 = reference adult head, skull about 140 × 180 mm).</summary>
    public double ScaleMin { get; init; } = 0.93;

    /// <summary>Largest overall head scale.</summary>
    public double ScaleMax { get; init; } = 1.07;

    /// <summary>Thinnest skull vault at reference scale (mm).</summary>
    public double SkullThicknessMinMm { get; init; } = 5;

    /// <summary>Thickest skull vault at reference scale (mm).</summary>
    public double SkullThicknessMaxMm { get; init; } = 8;

    /// <summary>Probability of a focal brain lesion.</summary>
    public double LesionProbability { get; init; } = 0.5;

    /// <summary>Probability that a lesion is hyperdense (else hypodense).</summary>
    public double HyperdenseLesionProbability { get; init; } = 0.3;

    /// <summary>Smallest lesion diameter (mm).</summary>
    public double LesionDiameterMinMm { get; init; } = 8;

    /// <summary>Largest lesion diameter (mm).</summary>
    public double LesionDiameterMaxMm { get; init; } = 30;

    /// <summary>Probability of a dental filling (in a premolar or molar).</summary>
    public double FillingProbability { get; init; } = 0.5;

    /// <summary>Attenuation of a filling (HU); below 3000.</summary>
    public double FillingHu { get; init; } = 2800;

    /// <summary>Probability that each third molar is present.</summary>
    public double ThirdMolarProbability { get; init; } = 0.5;

    /// <summary>Probability that any other tooth (except the first molars, kept as landmarks) is missing.</summary>
    public double MissingToothProbability { get; init; } = 0.03;

    /// <summary>In-plane subsamples per voxel side (1..8).</summary>
    public int Supersample { get; init; } = 2;

    /// <summary>Tissue attenuations.</summary>
    public HeadTissueHu Tissue { get; init; } = new();

    /// <summary>Checks ranges and probabilities.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        Range(ScaleMin, ScaleMax, 0.7, 1.3, "scale");
        Range(SkullThicknessMinMm, SkullThicknessMaxMm, 3, 12, "skull thickness (mm)");
        Range(LesionDiameterMinMm, LesionDiameterMaxMm, 3, 40, "lesion diameter (mm)");
        Range(FillingHu, FillingHu, 500, 2999, "filling HU");
        foreach ((string name, double p) in new[]
        {
            (nameof(LesionProbability), LesionProbability), (nameof(HyperdenseLesionProbability), HyperdenseLesionProbability),
            (nameof(FillingProbability), FillingProbability), (nameof(ThirdMolarProbability), ThirdMolarProbability),
            (nameof(MissingToothProbability), MissingToothProbability),
        })
        {
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentException($"{name} must be in [0, 1] (got {p}).", name);
            }
        }
        if (Supersample < 1 || Supersample > SupersampledRenderer.MaxFactor)
        {
            throw new ArgumentException($"Supersample must be 1..{SupersampledRenderer.MaxFactor} (got {Supersample}).", nameof(Supersample));
        }
        ArgumentNullException.ThrowIfNull(Tissue);
        Tissue.Validate();
    }

    private static void Range(double min, double max, double lowest, double highest, string what)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max || min < lowest || max > highest)
        {
            throw new ArgumentException($"Head phantom {what} range {min}..{max} must be finite, ordered and within {lowest}..{highest}.");
        }
    }
}
