namespace FedNano.Reconstruction.Workflows;

/// <summary>What to reconstruct from a projection scan and how (the parameters of a reconstruction job).</summary>
/// <param name="Method">dual-domain, ssr-fbp, 360li or 180li.</param>
/// <param name="ModelPath">dual-domain: checkpoint file, or null for the shipped weights of the default geometry.</param>
/// <param name="SliceSpacingMm">Distance between slice centres (mm).</param>
/// <param name="SliceThicknessMm">Slice thickness written to the series (mm), or null for the spacing.</param>
/// <param name="FieldOfViewMm">Analytic methods: field of view (mm); the dual-domain network has its own.</param>
/// <param name="MatrixSize">Analytic methods: pixels per side; the dual-domain network has its own.</param>
/// <param name="Device">dual-domain: auto, cpu or cuda.</param>
/// <param name="BatchSize">dual-domain: slices per forward pass.</param>
public sealed record ScanReconstructionRequest(
    string Method = "dual-domain",
    string? ModelPath = null,
    double SliceSpacingMm = 1.5,
    double? SliceThicknessMm = null,
    double? FieldOfViewMm = null,
    int? MatrixSize = null,
    string Device = "auto",
    int BatchSize = 4)
{
    /// <summary>The method names accepted.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["dual-domain", "ssr-fbp", "360li", "180li"];

    /// <summary>Most slices one request may produce.</summary>
    public const int MaxSlices = 4096;

    /// <summary>Checks names and ranges.</summary>
    /// <exception cref="ArgumentException">A value is unknown or out of range, with the reason.</exception>
    public void Validate()
    {
        if (!Methods.Contains(Method))
        {
            throw new ArgumentException($"Unknown method '{Method}'; use {string.Join(", ", Methods)}.", nameof(Method));
        }
        if (!(SliceSpacingMm is >= 0.1 and <= 50))
        {
            throw new ArgumentException($"Slice spacing {SliceSpacingMm} mm is outside 0.1..50 mm.", nameof(SliceSpacingMm));
        }
        if (SliceThicknessMm is { } t && !(t is >= 0.1 and <= 50))
        {
            throw new ArgumentException($"Slice thickness {t} mm is outside 0.1..50 mm.", nameof(SliceThicknessMm));
        }
        if (FieldOfViewMm is { } fov && !(fov is >= 10 and <= 1000))
        {
            throw new ArgumentException($"Field of view {fov} mm is outside 10..1000 mm.", nameof(FieldOfViewMm));
        }
        if (MatrixSize is { } m && m is < 16 or > 1024)
        {
            throw new ArgumentException($"Matrix size {m} is outside 16..1024.", nameof(MatrixSize));
        }
        if (BatchSize is < 1 or > 64)
        {
            throw new ArgumentException($"Batch size {BatchSize} is outside 1..64.", nameof(BatchSize));
        }
        if (Method == "dual-domain" && (FieldOfViewMm is not null || MatrixSize is not null))
        {
            throw new ArgumentException("The dual-domain network reconstructs on the grid it was trained for; leave field of view and matrix size out.", nameof(MatrixSize));
        }
    }
}
