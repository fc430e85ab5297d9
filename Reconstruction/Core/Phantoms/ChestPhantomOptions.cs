namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// Options of <see cref="ChestPhantom"/>: ranges the random anatomy is drawn from, how likely each finding is,
/// and tissue values. Ranges are inclusive pairs Min ≤ Max; equal ends fix a value.
/// </summary>
public sealed record ChestPhantomOptions
{
    /// <summary>Smallest left–right body width (mm).</summary>
    public double BodyWidthMinMm { get; init; } = 300;

    /// <summary>Largest left–right body width (mm).</summary>
    public double BodyWidthMaxMm { get; init; } = 340;

    /// <summary>Smallest anteroposterior body depth (mm).</summary>
    public double BodyDepthMinMm { get; init; } = 200;

    /// <summary>Largest anteroposterior body depth (mm).</summary>
    public double BodyDepthMaxMm { get; init; } = 240;

    /// <summary>Thinnest subcutaneous fat (mm).</summary>
    public double FatThicknessMinMm { get; init; } = 8;

    /// <summary>Thickest subcutaneous fat (mm).</summary>
    public double FatThicknessMaxMm { get; init; } = 25;

    /// <summary>Lowest z of the lung apices (mm).</summary>
    public double LungApexZMinMm { get; init; } = 150;

    /// <summary>Highest z of the lung apices (mm).</summary>
    public double LungApexZMaxMm { get; init; } = 165;

    /// <summary>Shortest lung height, apex to posterior costophrenic recess (mm).</summary>
    public double LungHeightMinMm { get; init; } = 280;

    /// <summary>Tallest lung height (mm).</summary>
    public double LungHeightMaxMm { get; init; } = 310;

    /// <summary>Fewest pulmonary nodules.</summary>
    public int NoduleCountMin { get; init; }

    /// <summary>Most pulmonary nodules.</summary>
    public int NoduleCountMax { get; init; } = 3;

    /// <summary>Smallest nodule diameter (mm); part-solid nodules are at least 10 mm so their core is resolvable.</summary>
    public double NoduleDiameterMinMm { get; init; } = 4;

    /// <summary>Largest nodule diameter (mm).</summary>
    public double NoduleDiameterMaxMm { get; init; } = 30;

    /// <summary>Probability that a nodule is part-solid.</summary>
    public double PartSolidProbability { get; init; } = 0.15;

    /// <summary>Probability that a nodule is pure ground-glass.</summary>
    public double GroundGlassProbability { get; init; } = 0.25;

    /// <summary>Probability that the case has emphysema.</summary>
    public double EmphysemaProbability { get; init; } = 0.3;

    /// <summary>Most emphysema regions when present (at least one).</summary>
    public int EmphysemaRegionCountMax { get; init; } = 3;

    /// <summary>Attenuation in the core of an emphysema region (HU).</summary>
    public double EmphysemaHu { get; init; } = -950;

    /// <summary>Probability that the case has a pleural effusion (one side, chosen at random).</summary>
    public double EffusionProbability { get; init; } = 0.2;

    /// <summary>Smallest effusion depth parameter (mm).</summary>
    public double EffusionDepthMinMm { get; init; } = 15;

    /// <summary>Largest effusion depth parameter (mm).</summary>
    public double EffusionDepthMaxMm { get; init; } = 60;

    /// <summary>Attenuation of pleural fluid (HU).</summary>
    public double EffusionHu { get; init; } = 10;

    /// <summary>Peak amplitude of the smooth lung texture (HU).</summary>
    public double LungTextureAmplitudeHu { get; init; } = 12;

    /// <summary>Terminal branches per pulmonary vessel tree (four trees: arteries and veins of each lung).</summary>
    public int VesselTerminalsPerTree { get; init; } = 1000;

    /// <summary>In-plane subsamples per voxel side (1..8; 2 gives anti-aliased edges).</summary>
    public int Supersample { get; init; } = 2;

    /// <summary>Tissue attenuations.</summary>
    public ChestTissueHu Tissue { get; init; } = new();

    /// <summary>Checks ranges and probabilities.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        Range(BodyWidthMinMm, BodyWidthMaxMm, 200, 500, "body width (mm)");
        Range(BodyDepthMinMm, BodyDepthMaxMm, 150, 350, "body depth (mm)");
        if (BodyDepthMaxMm > BodyWidthMinMm)
        {
            throw new ArgumentException($"Body depth (up to {BodyDepthMaxMm} mm) must not exceed body width (from {BodyWidthMinMm} mm).");
        }
        Range(FatThicknessMinMm, FatThicknessMaxMm, 2, 40, "fat thickness (mm)");
        Range(LungApexZMinMm, LungApexZMaxMm, -1000, 1000, "lung apex z (mm)");
        Range(LungHeightMinMm, LungHeightMaxMm, 200, 360, "lung height (mm)");
        if (NoduleCountMin < 0 || NoduleCountMax < NoduleCountMin || NoduleCountMax > 20)
        {
            throw new ArgumentException($"Nodule count range {NoduleCountMin}..{NoduleCountMax} must satisfy 0 <= min <= max <= 20.");
        }
        Range(NoduleDiameterMinMm, NoduleDiameterMaxMm, 2, 40, "nodule diameter (mm)");
        Probability(PartSolidProbability, nameof(PartSolidProbability));
        Probability(GroundGlassProbability, nameof(GroundGlassProbability));
        if (PartSolidProbability + GroundGlassProbability > 1)
        {
            throw new ArgumentException($"Part-solid ({PartSolidProbability}) and ground-glass ({GroundGlassProbability}) probabilities sum above 1.");
        }
        Probability(EmphysemaProbability, nameof(EmphysemaProbability));
        if (EmphysemaRegionCountMax < 1 || EmphysemaRegionCountMax > 10)
        {
            throw new ArgumentException($"Emphysema region count max must be 1..10 (got {EmphysemaRegionCountMax}).", nameof(EmphysemaRegionCountMax));
        }
        Range(EmphysemaHu, EmphysemaHu, -1000, -800, "emphysema HU");
        Probability(EffusionProbability, nameof(EffusionProbability));
        Range(EffusionDepthMinMm, EffusionDepthMaxMm, 5, 100, "effusion depth (mm)");
        Range(EffusionHu, EffusionHu, -50, 80, "effusion HU");
        Range(LungTextureAmplitudeHu, LungTextureAmplitudeHu, 0, 100, "lung texture amplitude (HU)");
        if (VesselTerminalsPerTree < 8 || VesselTerminalsPerTree > 20000)
        {
            throw new ArgumentException($"Vessel terminals per tree must be 8..20000 (got {VesselTerminalsPerTree}).", nameof(VesselTerminalsPerTree));
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
            throw new ArgumentException($"Chest phantom {what} range {min}..{max} must be finite, ordered and within {lowest}..{highest}.");
        }
    }

    private static void Probability(double p, string name)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentException($"{name} must be in [0, 1] (got {p}).", name);
        }
    }
}
