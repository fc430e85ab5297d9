using FedNano.Reconstruction.Volumes;
using SkiaSharp;

namespace FedNano.Reconstruction.Phantoms;

/// <summary>Writes windowed greyscale PNG previews of HU volumes, for looking at phantoms and results.</summary>
public static class PhantomPreview
{
    /// <summary>
    /// Writes axial slice <paramref name="slice"/> as an 8-bit greyscale PNG, one pixel per voxel, image row = y
    /// (anterior at the top, the patient's right on the left, as radiology displays it).
    /// </summary>
    /// <param name="hu">A volume in Hounsfield units.</param>
    /// <param name="path">Output file (overwritten).</param>
    /// <param name="slice">Slice index.</param>
    /// <param name="windowCenterHu">Window centre (level) (HU).</param>
    /// <param name="windowWidthHu">Window width (HU), positive.</param>
    /// <exception cref="ArgumentException">The volume is not in HU, the slice is out of range, the window is not positive and finite, or the path is empty.</exception>
    public static void WritePng(CtVolume hu, string path, int slice, double windowCenterHu, double windowWidthHu)
    {
        ArgumentNullException.ThrowIfNull(hu);
        Check(hu, path, windowCenterHu, windowWidthHu);
        if ((uint)slice >= (uint)hu.Grid.Nz)
        {
            throw new ArgumentException($"Slice {slice} is outside 0..{hu.Grid.Nz - 1}.", nameof(slice));
        }
        int nx = hu.Grid.Nx, ny = hu.Grid.Ny;
        ReadOnlySpan<float> values = hu.Slice(slice);
        var gray = new byte[nx * ny];
        for (int p = 0; p < gray.Length; p++)
        {
            gray[p] = Grey(values[p], windowCenterHu, windowWidthHu);
        }
        Write(gray, nx, ny, path);
    }

    /// <summary>
    /// Writes the coronal plane at image row <paramref name="row"/> (fixed y) as an 8-bit greyscale PNG: head
    /// (high z) at the top, the patient's right on the left; slices are stretched (nearest neighbour) so that the
    /// image has square pixels of the in-plane spacing.
    /// </summary>
    /// <param name="hu">A volume in Hounsfield units.</param>
    /// <param name="path">Output file (overwritten).</param>
    /// <param name="row">Image row (y index).</param>
    /// <param name="windowCenterHu">Window centre (level) (HU).</param>
    /// <param name="windowWidthHu">Window width (HU), positive.</param>
    /// <exception cref="ArgumentException">The volume is not in HU, the row is out of range, the window is not positive and finite, or the path is empty.</exception>
    public static void WriteCoronalPng(CtVolume hu, string path, int row, double windowCenterHu, double windowWidthHu)
    {
        ArgumentNullException.ThrowIfNull(hu);
        Check(hu, path, windowCenterHu, windowWidthHu);
        VolumeGrid g = hu.Grid;
        if ((uint)row >= (uint)g.Ny)
        {
            throw new ArgumentException($"Row {row} is outside 0..{g.Ny - 1}.", nameof(row));
        }
        double extentMm = g.Nz * g.SliceSpacingMm;
        int height = Math.Clamp((int)Math.Round(extentMm / g.PixelSpacingMm), 1, 8192);
        var gray = new byte[g.Nx * height];
        for (int r = 0; r < height; r++)
        {
            // Image row 0 is the highest z.
            int k = Math.Clamp((int)((height - 1 - r + 0.5) * g.Nz / height), 0, g.Nz - 1);
            long offset = ((long)k * g.Ny + row) * g.Nx;
            for (int i = 0; i < g.Nx; i++)
            {
                gray[r * g.Nx + i] = Grey(hu.Values[offset + i], windowCenterHu, windowWidthHu);
            }
        }
        Write(gray, g.Nx, height, path);
    }

    private static void Check(CtVolume hu, string path, double center, double width)
    {
        if (hu.Unit != VolumeUnit.Hounsfield)
        {
            throw new ArgumentException($"Preview needs a volume in Hounsfield units (got {hu.Unit}).", nameof(hu));
        }
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("Output path is empty.", nameof(path));
        }
        if (!double.IsFinite(center) || !(width > 0) || !double.IsFinite(width))
        {
            throw new ArgumentException($"Window {center}/{width} HU needs a finite centre and a positive finite width.", nameof(width));
        }
    }

    private static byte Grey(float hu, double center, double width)
    {
        double t = (hu - (center - width / 2)) / width;
        return (byte)Math.Clamp(Math.Round(t * 255.0), 0, 255);
    }

    private static void Write(byte[] gray, int width, int height, string path)
    {
        var info = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        IntPtr pixels = bitmap.GetPixels();
        if (pixels == IntPtr.Zero)
        {
            throw new InvalidOperationException($"Could not allocate a {width}x{height} preview bitmap.");
        }
        for (int r = 0; r < height; r++)
        {
            // Rows may be padded in the bitmap.
            System.Runtime.InteropServices.Marshal.Copy(gray, r * width, pixels + r * bitmap.RowBytes, width);
        }
        bitmap.NotifyPixelsChanged();
        using SKPixmap pixmap = bitmap.PeekPixels();
        using SKData data = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6))
            ?? throw new InvalidOperationException($"PNG encoding of a {width}x{height} preview failed.");
        using FileStream file = File.Create(path);
        data.SaveTo(file);
    }
}
