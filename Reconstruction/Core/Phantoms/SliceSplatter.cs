namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// Paints shapes onto a slice's subsample lattice, visiting only the cells inside each shape's bounding box
/// (far cheaper than testing every shape at every cell). A label mask, when given, restricts painting to cells
/// whose label is non-zero (e.g. lung parenchyma).
/// </summary>
internal static class SliceSplatter
{
    public static void Tubes(in SubsamplePlane plane, float[] values, byte[]? mask, IReadOnlyList<TubeSegment> tubes)
    {
        double z = plane.ZMm;
        foreach (TubeSegment tube in tubes)
        {
            if (!tube.CrossSectionBounds(z, out double xMin, out double xMax, out double yMin, out double yMax))
            {
                continue;
            }
            (int c0, int c1) = plane.Columns(xMin, xMax);
            (int r0, int r1) = plane.Rows(yMin, yMax);
            for (int row = r0; row <= r1; row++)
            {
                double y = plane.YMm(row);
                int offset = row * plane.Width;
                for (int col = c0; col <= c1; col++)
                {
                    int cell = offset + col;
                    if ((mask is null || mask[cell] != 0) && tube.Contains(plane.XMm(col), y, z))
                    {
                        values[cell] = tube.ValueHu;
                    }
                }
            }
        }
    }

    /// <summary>Paints the part of a ball (centre, radius) in this slice with <paramref name="valueHu"/>.</summary>
    public static void Ball(in SubsamplePlane plane, float[] values, Vector3Mm center, double radiusMm, float valueHu)
    {
        double dz = plane.ZMm - center.Z;
        double r2 = radiusMm * radiusMm - dz * dz;
        if (r2 < 0)
        {
            return;
        }
        double rc = Math.Sqrt(r2);
        (int c0, int c1) = plane.Columns(center.X - rc, center.X + rc);
        (int r0, int r1) = plane.Rows(center.Y - rc, center.Y + rc);
        for (int row = r0; row <= r1; row++)
        {
            double dy = plane.YMm(row) - center.Y;
            int offset = row * plane.Width;
            for (int col = c0; col <= c1; col++)
            {
                double dx = plane.XMm(col) - center.X;
                if (dx * dx + dy * dy <= r2)
                {
                    values[offset + col] = valueHu;
                }
            }
        }
    }
}
