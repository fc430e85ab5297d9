using System.Globalization;

namespace FedNano.Samples.ReconBenchmark;

/// <summary>
/// The memory-bandwidth bound of a view-by-view fan-beam backprojection: every view reads and writes the whole
/// float image once (views × pixels × 4 B × 2), and the filtered sinogram is read once (views × channels × 4 B);
/// at the measured sustained bandwidth that traffic cannot take less than <see cref="Seconds"/>.
/// </summary>
/// <remarks>
/// Assumptions: float32 image and sinogram; the image does not stay in cache between views (true for a
/// view-by-view loop once the image, 1 MiB at 512², and the per-core working set exceed the caches the other cores
/// are also filling; a loop that keeps image tiles in cache moves less and can beat this bound); bytes counted as
/// STREAM counts them (no write-allocate traffic), with STREAM's best of copy and triad as the bandwidth; arithmetic
/// (angle, interpolation, 1/L² weight) is free. The bound is therefore a floor on the memory traffic of the
/// textbook loop order, not on the arithmetic.
/// </remarks>
/// <param name="Views">Views backprojected.</param>
/// <param name="Pixels">Image pixels (Size²).</param>
/// <param name="Channels">Detector channels per view.</param>
/// <param name="BandwidthGBps">Sustained bandwidth (10⁹ B/s).</param>
internal sealed record BackprojectionBound(int Views, long Pixels, int Channels, double BandwidthGBps)
{
    /// <summary>Bytes moved: the image read and written once per view, plus the filtered sinogram once.</summary>
    public double Bytes => (double)Views * Pixels * sizeof(float) * 2 + (double)Views * Channels * sizeof(float);

    /// <summary>The lower bound on the time (s).</summary>
    public double Seconds => Bytes / (BandwidthGBps * 1e9);

    /// <summary>How the bound was computed, in one line.</summary>
    public string Formula => string.Create(CultureInfo.InvariantCulture,
        $"({Views} views × {Pixels} px × 4 B × 2 + {Views} × {Channels} × 4 B) = {Bytes / 1e9:F3} GB ÷ {BandwidthGBps:F1} GB/s = {Seconds * 1e3:F1} ms");
}
