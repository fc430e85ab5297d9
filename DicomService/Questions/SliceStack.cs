using FedNano.FederatedMLLM.Radiology;
using FedNano.Reconstruction.Volumes;

namespace FedNano.DicomService.Questions;

/// <summary>
/// The model's image input from a reconstructed CT volume: <see cref="CtInputSpec.Slices"/> axial planes
/// <see cref="CtInputSpec.SliceSpacingMm"/> apart around a centre z, each resampled (trilinear) onto the spec's square
/// grid over its field of view centred on the scan axis, then windowed and standardised (<see cref="CtInputSpec.Pixel"/>). Outside the volume reads as air.
/// </summary>
public static class SliceStack
{
    /// <summary>[slices × size × size] encoder input values for the stack centred at <paramref name="centerZMm"/>.</summary>
    public static float[] Build(CtVolume volume, CtInputSpec spec, double centerZMm)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(spec);
        var grid = volume.Grid;
        int n = spec.ImageSize;
        double pixel = spec.FieldOfViewMm / n;
        var result = new float[spec.Slices * n * n];
        for (int s = 0; s < spec.Slices; s++)
        {
            double z = centerZMm + (s - (spec.Slices - 1) / 2.0) * spec.SliceSpacingMm;
            double k = grid.Nz == 1 ? 0 : (z - grid.FirstSliceZMm) / grid.SliceSpacingMm;
            for (int row = 0; row < n; row++)
            {
                double y = (row - (n - 1) / 2.0) * pixel;
                double j = y / grid.PixelSpacingMm + (grid.Ny - 1) / 2.0;
                for (int col = 0; col < n; col++)
                {
                    double x = (col - (n - 1) / 2.0) * pixel;
                    double i = x / grid.PixelSpacingMm + (grid.Nx - 1) / 2.0;
                    result[(s * n + row) * n + col] = spec.Pixel(Sample(volume, i, j, k));
                }
            }
        }
        return result;
    }

    private static double Sample(CtVolume volume, double i, double j, double k)
    {
        var g = volume.Grid;
        const double AirHu = -1000;
        if (i < 0 || j < 0 || k < -0.5 || i > g.Nx - 1 || j > g.Ny - 1 || k > g.Nz - 0.5) return AirHu;
        k = Math.Clamp(k, 0, g.Nz - 1);
        int i0 = Math.Min((int)i, g.Nx - 2), j0 = Math.Min((int)j, g.Ny - 2), k0 = Math.Min((int)k, Math.Max(0, g.Nz - 2));
        double fi = i - i0, fj = j - j0, fk = g.Nz == 1 ? 0 : k - k0;
        double Plane(int kk)
        {
            var v = volume.Values;
            long b = (long)kk * g.Ny * g.Nx;
            double a = v[b + (long)j0 * g.Nx + i0] * (1 - fi) + v[b + (long)j0 * g.Nx + i0 + 1] * fi;
            double c = v[b + (long)(j0 + 1) * g.Nx + i0] * (1 - fi) + v[b + (long)(j0 + 1) * g.Nx + i0 + 1] * fi;
            return a * (1 - fj) + c * fj;
        }
        return g.Nz == 1 ? Plane(0) : Plane(k0) * (1 - fk) + Plane(k0 + 1) * fk;
    }
}
