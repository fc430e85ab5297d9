using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Phantoms;

/// <summary>Fills one slice's subsample lattice with values.</summary>
internal delegate void SubsampleSliceRenderer(in SubsamplePlane plane, float[] subsamples);

/// <summary>
/// Renders a volume slice by slice on a factor × factor in-plane subsample lattice and box-averages each voxel's
/// cells (anti-aliased edges). Slices run in parallel; each voxel's value depends only on its own cells, summed in
/// a fixed order, so the result is bit-identical whatever the scheduling.
/// </summary>
internal static class SupersampledRenderer
{
    public const int MaxFactor = 8;

    public static float[] Render(VolumeGrid grid, int factor, SubsampleSliceRenderer renderSlice)
    {
        ArgumentNullException.ThrowIfNull(grid);
        grid.Validate();
        if (factor < 1 || factor > MaxFactor)
        {
            throw new ArgumentException($"Supersampling factor must be 1..{MaxFactor} (got {factor}).", nameof(factor));
        }
        int nx = grid.Nx, ny = grid.Ny, w = nx * factor, h = ny * factor;
        double step = grid.PixelSpacingMm / factor;
        double x0 = grid.XMm(0) - grid.PixelSpacingMm / 2 + step / 2;
        double y0 = grid.YMm(0) - grid.PixelSpacingMm / 2 + step / 2;
        var values = new float[grid.VoxelCount];
        float inverseCount = 1f / (factor * factor);
        Parallel.For(0, grid.Nz, () => new float[w * h], (k, _, buffer) =>
        {
            var plane = new SubsamplePlane(w, h, x0, y0, step, grid.ZMm(k));
            renderSlice(plane, buffer);
            long sliceOffset = (long)k * nx * ny;
            for (int j = 0; j < ny; j++)
            {
                for (int i = 0; i < nx; i++)
                {
                    float sum = 0;
                    for (int sj = 0; sj < factor; sj++)
                    {
                        int row = (j * factor + sj) * w + i * factor;
                        for (int si = 0; si < factor; si++)
                        {
                            sum += buffer[row + si];
                        }
                    }
                    values[sliceOffset + (long)j * nx + i] = sum * inverseCount;
                }
            }
            return buffer;
        }, _ => { });
        return values;
    }
}
