using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Tests.Phantoms;

/// <summary>Renders single axial slices through chosen points and reads voxels there.</summary>
internal static class PhantomProbe
{
    /// <summary>A one-slice grid at <paramref name="zMm"/>, <paramref name="size"/> voxels square (odd: voxel centres on the axes).</summary>
    public static VolumeGrid SliceGrid(double zMm, double pixelMm = 1.0, int size = 421) =>
        new(size, size, 1, pixelMm, 1.0, zMm);

    public static CtVolume Slice(IPhantomGenerator generator, int seed, double zMm, double pixelMm = 1.0, int size = 421) =>
        generator.Generate(SliceGrid(zMm, pixelMm, size), seed).Hounsfield;

    /// <summary>The voxel of slice <paramref name="k"/> whose centre is nearest to (x, y).</summary>
    public static float At(CtVolume volume, double xMm, double yMm, int k = 0)
    {
        VolumeGrid g = volume.Grid;
        int i = (int)Math.Round(xMm / g.PixelSpacingMm + (g.Nx - 1) / 2.0);
        int j = (int)Math.Round(yMm / g.PixelSpacingMm + (g.Ny - 1) / 2.0);
        Assert.InRange(i, 0, g.Nx - 1);
        Assert.InRange(j, 0, g.Ny - 1);
        return volume.Values[((long)k * g.Ny + j) * g.Nx + i];
    }

    /// <summary>Median of the (2r+1)² voxels around (x, y): robust to a small vessel crossing the point.</summary>
    public static float MedianAround(CtVolume volume, double xMm, double yMm, int radius = 2)
    {
        double px = volume.Grid.PixelSpacingMm;
        var values = new List<float>();
        for (int dj = -radius; dj <= radius; dj++)
        {
            for (int di = -radius; di <= radius; di++)
            {
                values.Add(At(volume, xMm + di * px, yMm + dj * px));
            }
        }
        values.Sort();
        return values[values.Count / 2];
    }
}
