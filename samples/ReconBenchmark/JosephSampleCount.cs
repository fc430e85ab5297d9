using FedNano.Reconstruction;
using FedNano.Reconstruction.Projection;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Samples.ReconBenchmark;

/// <summary>
/// How many samples Joseph's method takes along the in-plane part of every ray of a plan: one per voxel plane of
/// the ray's dominant axis whose crossing lies inside the volume padded by one voxel (the interpolant's support).
/// Multiply by the detector rows for a volume that contains every ray's z range. Counted from the geometry, not
/// by the projector, so each ray's count may be off by one at the volume's edge.
/// </summary>
internal static class JosephSampleCount
{
    /// <summary>Sum over views and channels of the dominant-axis planes each ray samples.</summary>
    public static long InPlane(HelicalGeometry geometry, HelicalScanPlan plan, VolumeGrid grid)
    {
        double r = geometry.SourceToIsocenterMm, px = grid.PixelSpacingMm;
        long total = 0;
        for (int view = 0; view < plan.Views; view++)
        {
            double phi = plan.ViewAngleRad[view];
            double sx = -r * Math.Sin(phi), sy = r * Math.Cos(phi);
            for (int channel = 0; channel < geometry.Channels; channel++)
            {
                double angle = phi + geometry.ChannelAngleRad(channel);
                double rx = Math.Sin(angle), ry = -Math.Cos(angle);
                bool xDominant = Math.Abs(rx) >= Math.Abs(ry);
                (int na, int nb, double sa, double sb, double ra, double rb) = xDominant
                    ? (grid.Nx, grid.Ny, sx, sy, rx, ry)
                    : (grid.Ny, grid.Nx, sy, sx, ry, rx);
                // Padded index of the other axis at plane a: b0 + a·db, sampled while it lies in [0, nb + 1).
                double t0 = (-(na - 1) / 2.0 * px - sa) / ra;
                double b0 = (sb + t0 * rb) / px + (nb - 1) / 2.0 + 1.0;
                double db = rb / ra;
                total += PlanesInside(b0, db, nb + 1, na);
            }
        }
        return total;
    }

    private static long PlanesInside(double b0, double db, double limit, int planes)
    {
        if (Math.Abs(db) < 1e-12)
        {
            return b0 >= 0 && b0 < limit ? planes : 0;
        }
        double lo = (0 - b0) / db, hi = (limit - b0) / db;
        long first = Math.Max(0, (long)Math.Ceiling(Math.Min(lo, hi)));
        long last = Math.Min(planes - 1, (long)Math.Floor(Math.Max(lo, hi)));
        return Math.Max(0, last - first + 1);
    }
}
