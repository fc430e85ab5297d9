using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Projection;

/// <summary>
/// The attenuation volume rearranged for Joseph's method: two copies, one with x and one with y as the slowest
/// ("plane") axis, each with z contiguous and a one-voxel zero border in the other in-plane axis and in z.
/// </summary>
/// <remarks>
/// With z fastest, the rays of one channel (all detector rows) read short contiguous z runs at every plane,
/// and the two copies let the x-dominant and y-dominant cases share one kernel. The zero border makes the
/// interpolation at the volume's edge fall linearly to 0 over one voxel without bounds checks: callers only
/// need padded in-plane and z coordinates in [0, N + 1). Memory: about twice the volume.
/// </remarks>
internal sealed class JosephVolume
{
    private JosephVolume(VolumeGrid grid, float[] xMajor, float[] yMajor)
    {
        Nx = grid.Nx;
        Ny = grid.Ny;
        Nz = grid.Nz;
        PixelMm = grid.PixelSpacingMm;
        SliceMm = grid.SliceSpacingMm;
        FirstZMm = grid.FirstSliceZMm;
        XMajor = xMajor;
        YMajor = yMajor;
    }

    public int Nx { get; }

    public int Ny { get; }

    public int Nz { get; }

    public double PixelMm { get; }

    public double SliceMm { get; }

    public double FirstZMm { get; }

    /// <summary>Values at [i][j + 1][k + 1] (plane axis x), size Nx·(Ny + 2)·(Nz + 2).</summary>
    public float[] XMajor { get; }

    /// <summary>Values at [j][i + 1][k + 1] (plane axis y), size Ny·(Nx + 2)·(Nz + 2).</summary>
    public float[] YMajor { get; }

    /// <summary>Distance between neighbouring in-plane (non-plane-axis) samples in either copy.</summary>
    public int RowStride => Nz + 2;

    /// <summary>Distance between consecutive x planes in <see cref="XMajor"/>.</summary>
    public int XPlaneStride => (Ny + 2) * (Nz + 2);

    /// <summary>Distance between consecutive y planes in <see cref="YMajor"/>.</summary>
    public int YPlaneStride => (Nx + 2) * (Nz + 2);

    /// <summary>Builds both copies from a μ volume, or from a HU volume converted with <paramref name="muWaterPerMm"/>.</summary>
    /// <exception cref="ArgumentException">The padded copies would exceed the largest array .NET allows.</exception>
    public static JosephVolume Create(CtVolume volume, double muWaterPerMm, ParallelOptions parallel)
    {
        VolumeGrid g = volume.Grid;
        int nx = g.Nx, ny = g.Ny, nz = g.Nz;
        long xSize = (long)nx * (ny + 2) * (nz + 2);
        long ySize = (long)ny * (nx + 2) * (nz + 2);
        if (xSize > Array.MaxLength || ySize > Array.MaxLength)
        {
            throw new ArgumentException(
                $"Volume {nx}x{ny}x{nz} is too large for the projector's padded copies ({Math.Max(xSize, ySize)} values).",
                nameof(volume));
        }
        bool hounsfield = volume.Unit == VolumeUnit.Hounsfield;
        float scale = hounsfield ? (float)(muWaterPerMm / 1000.0) : 1f;
        float offset = hounsfield ? (float)muWaterPerMm : 0f;
        float[] src = volume.Values;
        var xMajor = new float[xSize];
        var yMajor = new float[ySize];
        int zRun = nz + 2;
        Parallel.For(0, nx, parallel, i =>
        {
            for (int j = 0; j < ny; j++)
            {
                int dst = (i * (ny + 2) + j + 1) * zRun + 1;
                for (int k = 0; k < nz; k++)
                {
                    xMajor[dst + k] = src[((long)k * ny + j) * nx + i] * scale + offset;
                }
            }
        });
        Parallel.For(0, ny, parallel, j =>
        {
            for (int i = 0; i < nx; i++)
            {
                int dst = (j * (nx + 2) + i + 1) * zRun + 1;
                for (int k = 0; k < nz; k++)
                {
                    yMajor[dst + k] = src[((long)k * ny + j) * nx + i] * scale + offset;
                }
            }
        });
        return new JosephVolume(g, xMajor, yMajor);
    }
}
