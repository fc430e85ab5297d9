using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Scans;

namespace FedNano.Reconstruction.Tests.Analytic;

/// <summary>Exact helical scans of analytic phantoms (independent of the library's projectors), for checking reconstructions.</summary>
internal static class AnalyticHelical
{
    /// <summary>Scans <paramref name="phantom"/> so that slices in [zMin, zMax] have a full rotation of views around them.</summary>
    public static ProjectionScan Scan(SheppLogan3D phantom, HelicalGeometry g0, SparseRowPattern pattern, double zMinMm, double zMaxMm, double startAngleRad = 0.2)
    {
        double feed = g0.TableFeedPerRotationMm;
        double startZ = zMinMm - feed / 2 - feed / g0.ViewsPerRotation * 2;
        int views = (int)Math.Ceiling((zMaxMm - zMinMm + feed) / feed * g0.ViewsPerRotation) + g0.ViewsPerRotation / 2 + 4;
        var g = new HelicalGeometry(g0.SourceToIsocenterMm, g0.SourceToDetectorMm, g0.DetectorShape, g0.Channels, g0.ChannelSpacingMm,
            g0.Rows, g0.RowSpacingMm, g0.CentralChannel, g0.CentralRow, g0.ViewsPerRotation, g0.PitchFactor, startAngleRad, startZ);
        var angles = new double[views];
        var zs = new double[views];
        int rows = g.Rows, channels = g.Channels;
        var data = new float[(long)views * rows * channels];
        double r = g.SourceToIsocenterMm, d = g.SourceToDetectorMm;
        Parallel.For(0, views, v =>
        {
            double phi = g.SourceAngleRad(v), z = g.SourceZMm(v);
            angles[v] = phi;
            zs[v] = z;
            double sx = -r * Math.Sin(phi), sy = r * Math.Cos(phi);
            double cx = Math.Sin(phi), cy = -Math.Cos(phi), ex = Math.Cos(phi), ey = Math.Sin(phi);
            for (int row = 0; row < rows; row++)
            {
                if (!pattern.IsActive(row))
                {
                    continue;
                }
                double w = g.RowOffsetMm(row);
                for (int c = 0; c < channels; c++)
                {
                    double px, py;
                    if (g.DetectorShape == DetectorShape.Curved)
                    {
                        double gamma = g.ChannelAngleRad(c);
                        px = sx + d * (Math.Cos(gamma) * cx + Math.Sin(gamma) * ex);
                        py = sy + d * (Math.Cos(gamma) * cy + Math.Sin(gamma) * ey);
                    }
                    else
                    {
                        double u = (c + 1.0 - g.CentralChannel) * g.ChannelSpacingMm;
                        px = sx + d * cx + u * ex;
                        py = sy + d * cy + u * ey;
                    }
                    data[((long)v * rows + row) * channels + c] = (float)phantom.LineIntegral(sx, sy, z, px - sx, py - sy, w);
                }
            }
        });
        return new ProjectionScan(g, pattern, data, angles, zs, phantom.MuWaterPerMm, new ScanMetadata("PHANTOM^SHEPP", "SL"));
    }

    /// <summary>Truth (HU) of the phantom at pixel centres of a slice.</summary>
    public static float[] TruthHu(SheppLogan3D phantom, Reconstruction.Analytic.ImageGrid2D grid, double zMm)
    {
        var truth = new float[grid.Size * grid.Size];
        for (int j = 0; j < grid.Size; j++)
        {
            for (int i = 0; i < grid.Size; i++)
            {
                double mu = phantom.Value(grid.XMm(i), grid.YMm(j), zMm);
                truth[j * grid.Size + i] = (float)(1000 * (mu - phantom.MuWaterPerMm) / phantom.MuWaterPerMm);
            }
        }
        return truth;
    }

    /// <summary>Mean |error| (HU) over pixels whose truth is constant within <paramref name="marginMm"/> (away from edges) and inside the object.</summary>
    public static double InteriorMeanAbsErrorHu(SheppLogan3D phantom, Reconstruction.Analytic.ImageGrid2D grid, double zMm, float[] reconHu, double marginMm, out int pixels)
    {
        double sum = 0;
        pixels = 0;
        for (int j = 0; j < grid.Size; j++)
        {
            for (int i = 0; i < grid.Size; i++)
            {
                double x = grid.XMm(i), y = grid.YMm(j);
                double centre = phantom.Value(x, y, zMm);
                if (centre < phantom.MuWaterPerMm * 0.5)
                {
                    continue;
                }
                bool uniform = true;
                for (int a = 0; a < 8 && uniform; a++)
                {
                    double t = a * Math.PI / 4;
                    for (double dz = -marginMm; dz <= marginMm && uniform; dz += marginMm)
                    {
                        uniform = Math.Abs(phantom.Value(x + marginMm * Math.Cos(t), y + marginMm * Math.Sin(t), zMm + dz) - centre) < 1e-9;
                    }
                }
                if (!uniform)
                {
                    continue;
                }
                double truthHu = 1000 * (centre - phantom.MuWaterPerMm) / phantom.MuWaterPerMm;
                sum += Math.Abs(reconHu[j * grid.Size + i] - truthHu);
                pixels++;
            }
        }
        return sum / pixels;
    }
}
