using TorchSharp;

namespace FedNano.Reconstruction.Volumes;

/// <summary>
/// A voxel volume on a <see cref="VolumeGrid"/>: values stored slice-major, <c>Values[(k·Ny + j)·Nx + i]</c>,
/// in the stated <see cref="Unit"/>.
/// </summary>
public sealed class CtVolume
{
    /// <summary>Wraps <paramref name="values"/> (not copied).</summary>
    /// <exception cref="ArgumentException">The array length does not match the grid.</exception>
    public CtVolume(VolumeGrid grid, float[] values, VolumeUnit unit)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(values);
        grid.Validate();
        if (values.LongLength != grid.VoxelCount)
        {
            throw new ArgumentException($"Volume of {grid.Nx}x{grid.Ny}x{grid.Nz} needs {grid.VoxelCount} values, got {values.LongLength}.", nameof(values));
        }
        Grid = grid;
        Values = values;
        Unit = unit;
    }

    /// <summary>The voxel grid.</summary>
    public VolumeGrid Grid { get; }

    /// <summary>Voxel values, slice-major (z, y, x).</summary>
    public float[] Values { get; }

    /// <summary>The meaning of the values.</summary>
    public VolumeUnit Unit { get; }

    /// <summary>A zero-filled volume.</summary>
    public static CtVolume Zeros(VolumeGrid grid, VolumeUnit unit) => new(grid, new float[grid.VoxelCount], unit);

    /// <summary>The values of slice <paramref name="k"/> (a view, not a copy).</summary>
    public Span<float> Slice(int k)
    {
        if ((uint)k >= (uint)Grid.Nz)
        {
            throw new ArgumentOutOfRangeException(nameof(k), $"Slice {k} is outside 0..{Grid.Nz - 1}.");
        }
        int n = Grid.Nx * Grid.Ny;
        return Values.AsSpan(k * n, n);
    }

    /// <summary>A new volume in Hounsfield units (copy; μ → HU with <paramref name="muWaterPerMm"/>).</summary>
    public CtVolume ToHounsfield(double muWaterPerMm) => Unit == VolumeUnit.Hounsfield
        ? new CtVolume(Grid, (float[])Values.Clone(), VolumeUnit.Hounsfield)
        : Map(v => (float)(1000.0 * (v - muWaterPerMm) / muWaterPerMm), VolumeUnit.Hounsfield);

    /// <summary>A new volume of linear attenuation (1/mm) (copy; HU → μ with <paramref name="muWaterPerMm"/>).</summary>
    public CtVolume ToAttenuation(double muWaterPerMm) => Unit == VolumeUnit.AttenuationPerMm
        ? new CtVolume(Grid, (float[])Values.Clone(), VolumeUnit.AttenuationPerMm)
        : Map(v => (float)(muWaterPerMm * (1.0 + v / 1000.0)), VolumeUnit.AttenuationPerMm);

    /// <summary>A float32 CPU tensor of shape [Nz, Ny, Nx] holding a copy of the values.</summary>
    public torch.Tensor ToTensor() => torch.tensor(Values, [Grid.Nz, Grid.Ny, Grid.Nx]);

    private CtVolume Map(Func<float, float> f, VolumeUnit unit)
    {
        var result = new float[Values.Length];
        Parallel.For(0, Grid.Nz, k =>
        {
            int n = Grid.Nx * Grid.Ny;
            for (int i = k * n; i < (k + 1) * n; i++)
            {
                result[i] = f(Values[i]);
            }
        });
        return new CtVolume(Grid, result, unit);
    }
}
