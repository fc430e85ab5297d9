namespace FedNano.Reconstruction.Tests.Analytic;

/// <summary>
/// A cheaper scanner than the <c>small</c> preset for tests that compute exact helical projections: same R, D and fan
/// angle, 256 channels with a quarter-channel offset, 16 rows, 360 views, pitch 1.
/// </summary>
internal static class TestGeometry
{
    public static HelicalGeometry Compact { get; } =
        new(595.0, 1085.6, DetectorShape.Curved, 256, 1.2858 * 736 / 256, 16, 1.0947, 128.75, 8.5, 360, 1.0);

    /// <summary>As <see cref="Compact"/> but exactly centred: conjugate rays land on channels, not between them.</summary>
    public static HelicalGeometry CompactCentred { get; } =
        new(595.0, 1085.6, DetectorShape.Curved, 256, 1.2858 * 736 / 256, 16, 1.0947, 128.5, 8.5, 360, 1.0);

    public static SparseRowPattern Dense { get; } = SparseRowPattern.Dense(16);

    public static SparseRowPattern Sparse { get; } = SparseRowPattern.Parse("4x2g2", 16);
}
