using FedNano.Reconstruction.Analytic;
using FedNano.Reconstruction.Phantoms;

namespace FedNano.Reconstruction.Tests.Analytic;

/// <summary>Exact fan-beam sinograms of analytic phantoms in the plane z = <c>zMm</c>, for checking reconstructions.</summary>
internal static class AnalyticFan
{
    public static float[] Sinogram(SheppLogan3D phantom, FanBeamGeometry g, double zMm = 0)
    {
        var values = new float[g.Views * g.Channels];
        double r = g.SourceToIsocenterMm;
        Parallel.For(0, g.Views, v =>
        {
            double beta = g.ViewAngleRad(v);
            double sx = -r * Math.Sin(beta), sy = r * Math.Cos(beta);
            double cx = Math.Sin(beta), cy = -Math.Cos(beta), ex = Math.Cos(beta), ey = Math.Sin(beta);
            for (int c = 0; c < g.Channels; c++)
            {
                double gamma = g.ChannelAngleRad(c);
                double dx = Math.Cos(gamma) * cx + Math.Sin(gamma) * ex;
                double dy = Math.Cos(gamma) * cy + Math.Sin(gamma) * ey;
                values[v * g.Channels + c] = (float)phantom.LineIntegral(sx, sy, zMm, dx, dy, 0);
            }
        });
        return values;
    }

    /// <summary>Mean and standard deviation of an image inside a circle (mm) centred at (x, y).</summary>
    public static (double Mean, double Std) Roi(float[] image, ImageGrid2D grid, double xMm, double yMm, double radiusMm)
    {
        double sum = 0, sum2 = 0;
        int n = 0;
        for (int j = 0; j < grid.Size; j++)
        {
            for (int i = 0; i < grid.Size; i++)
            {
                double dx = grid.XMm(i) - xMm, dy = grid.YMm(j) - yMm;
                if (dx * dx + dy * dy <= radiusMm * radiusMm)
                {
                    double v = image[j * grid.Size + i];
                    sum += v;
                    sum2 += v * v;
                    n++;
                }
            }
        }
        double mean = sum / n;
        return (mean, Math.Sqrt(Math.Max(0, sum2 / n - mean * mean)));
    }
}
