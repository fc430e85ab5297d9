using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Workflows;

/// <summary>What to simulate: a phantom, a scanner, the dose and the ground-truth grid.</summary>
public sealed record SimulationRequest
{
    /// <summary>Phantom name from <see cref="PhantomCatalog"/> (chest, head, shepp-logan).</summary>
    public string Phantom { get; init; } = "chest";

    /// <summary>Geometry preset name from <see cref="GeometryPresets"/>.</summary>
    public string Geometry { get; init; } = DefaultGeometry;

    /// <summary>Row pattern overriding the preset's ("GxR[gN][@F]"), or null to keep it.</summary>
    public string? SparsePattern { get; init; }

    /// <summary>Incident photons per ray at the central channel (I0), or null for noiseless line integrals.</summary>
    public double? IncidentPhotons { get; init; }

    /// <summary>Bow-tie attenuation at the fan edge (line integral; 0 = none).</summary>
    public double BowTieEdgeAttenuation { get; init; }

    /// <summary>Seed of the phantom's anatomy and of the noise.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Ground-truth and reconstruction image size (pixels per side).</summary>
    public int ImageSize { get; init; } = 256;

    /// <summary>Field of view of the images (mm).</summary>
    public double FieldOfViewMm { get; init; } = 400;

    /// <summary>Number of ground-truth slices.</summary>
    public int Slices { get; init; } = 16;

    /// <summary>Distance between ground-truth slices (mm).</summary>
    public double SliceSpacingMm { get; init; } = 1.5;

    /// <summary>z (mm) of the centre of the slice stack.</summary>
    public double CenterZMm { get; init; }

    /// <summary>μ_water (1/mm) converting HU to attenuation.</summary>
    public double MuWaterPerMm { get; init; } = SheppLogan3D.DefaultMuWaterPerMm;

    /// <summary>The default geometry: the sparse-row demo scanner.</summary>
    public const string DefaultGeometry = "small-sparse";

    /// <summary>The ground-truth grid: <see cref="Slices"/> slices centred on <see cref="CenterZMm"/>.</summary>
    public VolumeGrid TruthGrid => new(ImageSize, ImageSize, Slices, FieldOfViewMm / ImageSize, SliceSpacingMm,
        CenterZMm - (Slices - 1) / 2.0 * SliceSpacingMm);

    /// <summary>Checks every value, naming the first bad one.</summary>
    /// <exception cref="ArgumentException">A value is out of range or a name is unknown.</exception>
    public void Validate()
    {
        _ = PhantomCatalog.Get(Phantom);
        var preset = GeometryPresets.Get(Geometry);
        if (SparsePattern is not null)
        {
            _ = SparseRowPattern.Parse(SparsePattern, preset.Geometry.Rows);
        }
        if (IncidentPhotons is { } i0 && !(i0 > 0 && i0 <= 1e12))
        {
            throw new ArgumentException($"I0 must lie in (0, 1e12] photons (got {i0}).");
        }
        if (ImageSize is < 16 or > 2048)
        {
            throw new ArgumentException($"Image size {ImageSize} is outside 16..2048.");
        }
        if (Slices is < 1 or > 1024)
        {
            throw new ArgumentException($"Slice count {Slices} is outside 1..1024.");
        }
        if (!(FieldOfViewMm > 0) || FieldOfViewMm > preset.Geometry.FieldOfViewDiameterMm + 1e-6)
        {
            throw new ArgumentException(
                $"Field of view {FieldOfViewMm} mm must be positive and within the scanner's {preset.Geometry.FieldOfViewDiameterMm:F0} mm.");
        }
        if (!(SliceSpacingMm > 0) || SliceSpacingMm > 50 || !double.IsFinite(CenterZMm))
        {
            throw new ArgumentException($"Slice spacing {SliceSpacingMm} mm must lie in (0, 50] and the centre z must be finite.");
        }
        if (!(MuWaterPerMm > 0) || MuWaterPerMm > 1)
        {
            throw new ArgumentException($"μ_water {MuWaterPerMm} /mm is not plausible.");
        }
    }
}
