namespace FedNano.Reconstruction;

/// <summary>A named scanner configuration: geometry plus the active-row pattern.</summary>
/// <param name="Name">Preset name.</param>
/// <param name="Geometry">Scanner geometry.</param>
/// <param name="RowPattern">Active detector rows (dense presets have every row active).</param>
public sealed record GeometryPreset(string Name, HelicalGeometry Geometry, SparseRowPattern RowPattern);

/// <summary>Named geometries.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>siemens-64</c>: the Siemens-like geometry of the public Mayo/TCIA DICOM-CT-PD data: R = 595 mm,
/// D = 1085.6 mm, curved, 736 channels × 1.2858 mm, 64 rows × 1.0947 mm (0.6 mm at isocenter), central
/// element (369.625, 32.5) 1-based, 1152 views per rotation (no flying focal spot), pitch 0.8 (our choice
/// within the data's 0.6–1.0). Dense.</item>
/// <item><c>small</c>: a CPU/test-sized geometry with the same R, D and fan angle (≈ 500 mm FOV): 368 channels ×
/// 2.5716 mm (every other siemens-64 channel, so the total fan angle is the same), central channel 184.75 (a
/// quarter-channel offset, so a full rotation's conjugate rays interleave), 16 rows × 1.0947 mm centred at row 8.5,
/// 576 views, pitch 1.0. Dense. The channel pitch at the isocenter (1.41 mm) matches 256² images over 400 mm;
/// with 256 channels (2.0 mm) detector blur and aliasing, not the row pattern, dominated the error of every
/// analytic method (RRMSE 8.1 % against 6.2 % on a noiseless chest phantom).</item>
/// <item><c>small-sparse</c>: the <c>small</c> geometry with row pattern "4x2g2" (4 groups of 2 active rows
/// separated by 2-row gaps, spanning 14 of 16 rows, centred at rows 1..14).</item>
/// </list>
/// </remarks>
public static class GeometryPresets
{
    /// <summary>The preset names <see cref="Get"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["siemens-64", "small", "small-sparse"];

    /// <summary>Returns the named preset (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is unknown.</exception>
    public static GeometryPreset Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (name.Trim().ToLowerInvariant())
        {
            case "siemens-64":
                {
                    var g = new HelicalGeometry(595.0, 1085.6, DetectorShape.Curved, 736, 1.2858, 64, 1.0947,
                        369.625, 32.5, 1152, 0.8);
                    return new GeometryPreset("siemens-64", g, SparseRowPattern.Dense(g.Rows));
                }
            case "small":
                {
                    var g = Small();
                    return new GeometryPreset("small", g, SparseRowPattern.Dense(g.Rows));
                }
            case "small-sparse":
                {
                    var g = Small();
                    return new GeometryPreset("small-sparse", g, SparseRowPattern.Parse("4x2g2", g.Rows));
                }
            default:
                throw new ArgumentException(
                    $"Unknown geometry preset '{name}'; known: {string.Join(", ", Names)}.", nameof(name));
        }
    }

    private static HelicalGeometry Small() =>
        new(595.0, 1085.6, DetectorShape.Curved, 368, 1.2858 * 2, 16, 1.0947, 184.75, 8.5, 576, 1.0);
}
