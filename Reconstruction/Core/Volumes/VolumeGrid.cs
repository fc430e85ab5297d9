namespace FedNano.Reconstruction.Volumes;

/// <summary>
/// A regular voxel grid centred on the rotation axis in x and y. Voxel (i, j, k) has its centre at
/// x = (i − (Nx−1)/2)·PixelSpacingMm, y = (j − (Ny−1)/2)·PixelSpacingMm, z = FirstSliceZMm + k·SliceSpacingMm,
/// in the scanner frame (x to the patient's left, y posterior, z towards the head, as DICOM patient
/// coordinates for a head-first supine patient), so that row j of a slice is image row j in DICOM.
/// </summary>
/// <param name="Nx">Columns (x).</param>
/// <param name="Ny">Rows (y).</param>
/// <param name="Nz">Slices (z).</param>
/// <param name="PixelSpacingMm">In-plane voxel size (mm), equal in x and y.</param>
/// <param name="SliceSpacingMm">Distance between slice centres (mm).</param>
/// <param name="FirstSliceZMm">z of slice 0's centre (mm).</param>
public sealed record VolumeGrid(int Nx, int Ny, int Nz, double PixelSpacingMm, double SliceSpacingMm, double FirstSliceZMm)
{
    /// <summary>Voxels in the grid.</summary>
    public long VoxelCount => (long)Nx * Ny * Nz;

    /// <summary>x (mm) of column <paramref name="i"/>'s centre.</summary>
    public double XMm(double i) => (i - (Nx - 1) / 2.0) * PixelSpacingMm;

    /// <summary>y (mm) of row <paramref name="j"/>'s centre.</summary>
    public double YMm(double j) => (j - (Ny - 1) / 2.0) * PixelSpacingMm;

    /// <summary>z (mm) of slice <paramref name="k"/>'s centre.</summary>
    public double ZMm(double k) => FirstSliceZMm + k * SliceSpacingMm;

    /// <summary>Checks sizes and spacings.</summary>
    /// <exception cref="ArgumentException">A size is below 1 or above 4096, or a spacing is not positive and finite.</exception>
    public void Validate()
    {
        if (Nx < 1 || Ny < 1 || Nz < 1 || Nx > 4096 || Ny > 4096 || Nz > 4096)
        {
            throw new ArgumentException($"Volume size {Nx}x{Ny}x{Nz} is outside 1..4096 per axis.");
        }
        if (!(PixelSpacingMm > 0) || !double.IsFinite(PixelSpacingMm) || !(SliceSpacingMm > 0) || !double.IsFinite(SliceSpacingMm))
        {
            throw new ArgumentException($"Voxel spacing {PixelSpacingMm} x {SliceSpacingMm} mm must be positive and finite.");
        }
        if (!double.IsFinite(FirstSliceZMm))
        {
            throw new ArgumentException($"First slice z {FirstSliceZMm} must be finite.");
        }
    }
}
