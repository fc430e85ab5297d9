using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Tests.Projection;

/// <summary>Small geometries and voxelised test objects for the projection tests.</summary>
internal static class TestObjects
{
    public const double SourceToIsocenterMm = 595.0;
    public const double SourceToDetectorMm = 1085.6;

    /// <summary>
    /// A scaled-down scanner (R and D of the Siemens geometry): 64 channels spanning a 220 mm field of view,
    /// <paramref name="rows"/> rows of <paramref name="rowSpacingMm"/>, centred detector.
    /// </summary>
    public static HelicalGeometry Geometry(
        DetectorShape shape = DetectorShape.Curved, int rows = 8, double rowSpacingMm = 8.0, double pitch = 0.0,
        int viewsPerRotation = 12, double startZMm = 0.0, int channels = 64)
    {
        double halfFan = Math.Asin(110.0 / SourceToIsocenterMm);
        double spacing = shape == DetectorShape.Curved
            ? 2 * halfFan * SourceToDetectorMm / channels
            : 2 * Math.Tan(halfFan) * SourceToDetectorMm / channels;
        return new HelicalGeometry(SourceToIsocenterMm, SourceToDetectorMm, shape, channels, spacing, rows, rowSpacingMm,
            (channels + 1) / 2.0, (rows + 1) / 2.0, viewsPerRotation, pitch, 0.0, startZMm);
    }

    /// <summary>A z-infinite cylinder about the z axis, area-weighted over <paramref name="super"/>² sub-pixels.</summary>
    public static CtVolume Cylinder(VolumeGrid grid, double radiusMm, float mu, int super = 4)
    {
        var values = new float[grid.VoxelCount];
        int plane = grid.Nx * grid.Ny;
        for (int j = 0; j < grid.Ny; j++)
        {
            for (int i = 0; i < grid.Nx; i++)
            {
                int inside = 0;
                for (int sj = 0; sj < super; sj++)
                {
                    for (int si = 0; si < super; si++)
                    {
                        double x = grid.XMm(i + (si + 0.5) / super - 0.5);
                        double y = grid.YMm(j + (sj + 0.5) / super - 0.5);
                        inside += x * x + y * y <= radiusMm * radiusMm ? 1 : 0;
                    }
                }
                float v = mu * inside / (super * super);
                for (int k = 0; k < grid.Nz; k++)
                {
                    values[k * plane + j * grid.Nx + i] = v;
                }
            }
        }
        return new CtVolume(grid, values, VolumeUnit.AttenuationPerMm);
    }

    /// <summary>A sphere, volume-weighted over <paramref name="super"/>³ sub-voxels.</summary>
    public static CtVolume Sphere(VolumeGrid grid, double cx, double cy, double cz, double radiusMm, float mu, int super = 3)
    {
        var values = new float[grid.VoxelCount];
        Parallel.For(0, grid.Nz, k =>
        {
            for (int j = 0; j < grid.Ny; j++)
            {
                for (int i = 0; i < grid.Nx; i++)
                {
                    int inside = 0;
                    for (int sk = 0; sk < super; sk++)
                    {
                        double z = grid.ZMm(k + (sk + 0.5) / super - 0.5) - cz;
                        for (int sj = 0; sj < super; sj++)
                        {
                            double y = grid.YMm(j + (sj + 0.5) / super - 0.5) - cy;
                            for (int si = 0; si < super; si++)
                            {
                                double x = grid.XMm(i + (si + 0.5) / super - 0.5) - cx;
                                inside += x * x + y * y + z * z <= radiusMm * radiusMm ? 1 : 0;
                            }
                        }
                    }
                    values[((long)k * grid.Ny + j) * grid.Nx + i] = mu * inside / (super * super * super);
                }
            }
        });
        return new CtVolume(grid, values, VolumeUnit.AttenuationPerMm);
    }

    /// <summary>The phantom (centred at z = <paramref name="centerZMm"/>) averaged over 2³ sub-voxels per voxel.</summary>
    public static CtVolume Voxelise(SheppLogan3D phantom, VolumeGrid grid, double centerZMm)
    {
        var values = new float[grid.VoxelCount];
        Parallel.For(0, grid.Nz, k =>
        {
            for (int j = 0; j < grid.Ny; j++)
            {
                for (int i = 0; i < grid.Nx; i++)
                {
                    double sum = 0;
                    for (int s = 0; s < 8; s++)
                    {
                        double x = grid.XMm(i + ((s & 1) - 0.5) * 0.5);
                        double y = grid.YMm(j + (((s >> 1) & 1) - 0.5) * 0.5);
                        double z = grid.ZMm(k + (((s >> 2) & 1) - 0.5) * 0.5) - centerZMm;
                        sum += phantom.Value(x, y, z);
                    }
                    values[((long)k * grid.Ny + j) * grid.Nx + i] = (float)(sum / 8);
                }
            }
        });
        return new CtVolume(grid, values, VolumeUnit.AttenuationPerMm);
    }

    /// <summary>Source point and unit direction of the ray (view, row, channel), from the documented convention.</summary>
    public static (double[] Source, double[] Direction) Ray(HelicalGeometry g, double angleRad, double zMm, int row, int channel)
    {
        double r = g.SourceToIsocenterMm, d = g.SourceToDetectorMm;
        double[] s = [-r * Math.Sin(angleRad), r * Math.Cos(angleRad), zMm];
        double[] c = [Math.Sin(angleRad), -Math.Cos(angleRad), 0];
        double[] e = [Math.Cos(angleRad), Math.Sin(angleRad), 0];
        double w = g.RowOffsetMm(row);
        double[] element;
        if (g.DetectorShape == DetectorShape.Curved)
        {
            double gamma = g.ChannelAngleRad(channel);
            element =
            [
                s[0] + d * (Math.Cos(gamma) * c[0] + Math.Sin(gamma) * e[0]),
                s[1] + d * (Math.Cos(gamma) * c[1] + Math.Sin(gamma) * e[1]),
                s[2] + w,
            ];
        }
        else
        {
            double u = (channel + 1 - g.CentralChannel) * g.ChannelSpacingMm;
            element = [s[0] + d * c[0] + u * e[0], s[1] + d * c[1] + u * e[1], s[2] + w];
        }
        double[] dir = [element[0] - s[0], element[1] - s[1], element[2] - s[2]];
        double n = Math.Sqrt(dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]);
        return (s, [dir[0] / n, dir[1] / n, dir[2] / n]);
    }

    /// <summary>Distance from <paramref name="point"/> to the line through <paramref name="source"/> along unit <paramref name="dir"/>.</summary>
    public static double DistanceToRay(double[] source, double[] dir, double[] point)
    {
        double[] v = [point[0] - source[0], point[1] - source[1], point[2] - source[2]];
        double t = v[0] * dir[0] + v[1] * dir[1] + v[2] * dir[2];
        double dx = v[0] - t * dir[0], dy = v[1] - t * dir[1], dz = v[2] - t * dir[2];
        return Math.Sqrt(dx * dx + dy * dy + dz * dz);
    }
}
