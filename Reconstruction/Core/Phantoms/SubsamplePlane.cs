namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// The subsample lattice of one slice: each voxel split into factor × factor equal cells, sampled at the cell
/// centres (all at the slice's centre z).
/// </summary>
/// <param name="Width">Subsample columns (voxel columns × factor).</param>
/// <param name="Height">Subsample rows (voxel rows × factor).</param>
/// <param name="X0Mm">x (mm) of subsample column 0.</param>
/// <param name="Y0Mm">y (mm) of subsample row 0.</param>
/// <param name="StepMm">Subsample pitch (mm).</param>
/// <param name="ZMm">z (mm) of the slice.</param>
internal readonly record struct SubsamplePlane(int Width, int Height, double X0Mm, double Y0Mm, double StepMm, double ZMm)
{
    public double XMm(int column) => X0Mm + column * StepMm;

    public double YMm(int row) => Y0Mm + row * StepMm;

    /// <summary>The columns whose x lies in [xMinMm, xMaxMm], clamped to the plane (empty when lo &gt; hi).</summary>
    public (int Lo, int Hi) Columns(double xMinMm, double xMaxMm) => Clamp(xMinMm, xMaxMm, X0Mm, Width);

    /// <summary>The rows whose y lies in [yMinMm, yMaxMm], clamped to the plane (empty when lo &gt; hi).</summary>
    public (int Lo, int Hi) Rows(double yMinMm, double yMaxMm) => Clamp(yMinMm, yMaxMm, Y0Mm, Height);

    private (int Lo, int Hi) Clamp(double min, double max, double origin, int count)
    {
        double lo = Math.Ceiling((min - origin) / StepMm);
        double hi = Math.Floor((max - origin) / StepMm);
        return ((int)Math.Max(0, lo), (int)Math.Min(count - 1, hi));
    }
}
