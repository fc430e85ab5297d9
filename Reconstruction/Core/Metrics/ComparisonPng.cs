using System.Globalization;
using FedNano.Reconstruction.Volumes;
using SkiaSharp;

namespace FedNano.Reconstruction.Metrics;

/// <summary>
/// A side-by-side PNG for reading a reconstruction against its reference: reference, reconstruction and difference
/// (reconstruction − reference) panels, the first two in the display window, the difference in a symmetric window
/// around mid-grey, each under a label, optionally under a title line (see <see cref="ComparisonPngLayout"/>).
/// </summary>
/// <remarks>
/// Grey level of a value v in a window [lo, hi]: round(255·clamp((v − lo)/(hi − lo), 0, 1)), so a zero difference is
/// grey 128. Labels use DejaVu Sans (Debian fonts-dejavu-core) or another sans-serif face, else Skia's default; on a
/// system without any font the panels are still drawn, in the documented order, without labels.
/// </remarks>
public static class ComparisonPng
{
    private static readonly SKColor Background = new(24, 24, 24);
    private static readonly SKColor TextColor = new(235, 235, 235);
    private const float LabelFontPixels = 14;
    private const float MinimumFontPixels = 7;
    private static readonly Lazy<SKTypeface?> LabelTypeface = new(FindTypeface);

    /// <summary>The sans-serif face used for labels (null where the system has no usable font).</summary>
    internal static SKTypeface? Typeface => LabelTypeface.Value;

    /// <summary>Writes the comparison of two 2D images (HU, row-major) to <paramref name="path"/> as PNG.</summary>
    /// <param name="path">Output file; replaced if present (written to a temporary file first, then moved).</param>
    /// <param name="referenceHu">Reference image (HU), width × height.</param>
    /// <param name="reconstructionHu">Reconstruction (HU), same size.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="options">Windows, title and zoom.</param>
    /// <exception cref="ArgumentException">Sizes differ, a value is not finite, or the options are invalid.</exception>
    public static void Write(string path, ReadOnlySpan<float> referenceHu, ReadOnlySpan<float> reconstructionHu, int width, int height,
        ComparisonPngOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        WriteAtomically(path, Encode(referenceHu, reconstructionHu, width, height, options));
    }

    /// <summary>Writes the comparison of slice <paramref name="sliceIndex"/> of two volumes on the same grid to <paramref name="path"/>.</summary>
    /// <param name="path">Output file; replaced if present.</param>
    /// <param name="reference">Reference volume (HU or μ; μ is shown in HU using <see cref="ComparisonPngOptions.MuWaterPerMm"/>).</param>
    /// <param name="reconstruction">Reconstruction on the same grid (HU or μ).</param>
    /// <param name="sliceIndex">Slice k, 0-based.</param>
    /// <param name="options">Windows, title and zoom.</param>
    /// <exception cref="ArgumentException">The grids differ, a value is not finite, or the options are invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The slice does not exist.</exception>
    public static void Write(string path, CtVolume reference, CtVolume reconstruction, int sliceIndex, ComparisonPngOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        WriteAtomically(path, Encode(reference, reconstruction, sliceIndex, options));
    }

    /// <summary>The comparison PNG of two 2D images (HU, row-major), as bytes.</summary>
    /// <param name="referenceHu">Reference image (HU), width × height.</param>
    /// <param name="reconstructionHu">Reconstruction (HU), same size.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="options">Windows, title and zoom.</param>
    /// <exception cref="ArgumentException">Sizes differ, a value is not finite, or the options are invalid.</exception>
    public static byte[] Encode(ReadOnlySpan<float> referenceHu, ReadOnlySpan<float> reconstructionHu, int width, int height,
        ComparisonPngOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var layout = ComparisonPngLayout.For(width, height, options);
        RequireImage(referenceHu, width, height, nameof(referenceHu));
        RequireImage(reconstructionHu, width, height, nameof(reconstructionHu));

        using var bitmap = new SKBitmap(new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(Background);
        }
        double lo = options.WindowCenterHu - options.WindowWidthHu / 2;
        double n = options.DifferenceHalfWidthHu;
        var pixels = bitmap.GetPixelSpan();
        int stride = bitmap.RowBytes;
        for (int j = 0; j < height; j++)
        {
            for (int i = 0; i < width; i++)
            {
                int p = j * width + i;
                double reference = referenceHu[p], reconstruction = reconstructionHu[p];
                byte g0 = Grey(reference, lo, options.WindowWidthHu);
                byte g1 = Grey(reconstruction, lo, options.WindowWidthHu);
                byte g2 = Grey(reconstruction - reference, -n, 2 * n);
                FillBlock(pixels, stride, layout, 0, i, j, g0);
                FillBlock(pixels, stride, layout, 1, i, j, g1);
                FillBlock(pixels, stride, layout, 2, i, j, g2);
            }
        }
        bitmap.NotifyPixelsChanged();
        DrawText(bitmap, layout, options);

        using var pixmap = bitmap.PeekPixels()
            ?? throw new InvalidOperationException("Could not access the comparison image's pixels.");
        using var data = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6))
            ?? throw new InvalidOperationException("Could not encode the comparison image as PNG.");
        return data.ToArray();
    }

    /// <summary>The comparison PNG of slice <paramref name="sliceIndex"/> of two volumes on the same grid, as bytes.</summary>
    /// <param name="reference">Reference volume (HU or μ).</param>
    /// <param name="reconstruction">Reconstruction on the same grid (HU or μ).</param>
    /// <param name="sliceIndex">Slice k, 0-based.</param>
    /// <param name="options">Windows, title and zoom.</param>
    /// <exception cref="ArgumentException">The grids differ, a value is not finite, or the options are invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The slice does not exist.</exception>
    public static byte[] Encode(CtVolume reference, CtVolume reconstruction, int sliceIndex, ComparisonPngOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(reconstruction);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (reference.Grid != reconstruction.Grid)
        {
            throw new ArgumentException($"The volumes are on different grids ({reference.Grid} vs {reconstruction.Grid}).", nameof(reconstruction));
        }
        var grid = reference.Grid;
        return Encode(SliceHu(reference, sliceIndex, options.MuWaterPerMm), SliceHu(reconstruction, sliceIndex, options.MuWaterPerMm),
            grid.Nx, grid.Ny, options);
    }

    private static float[] SliceHu(CtVolume volume, int sliceIndex, double muWaterPerMm)
    {
        var slice = volume.Slice(sliceIndex);
        var hu = slice.ToArray();
        if (volume.Unit == VolumeUnit.AttenuationPerMm)
        {
            for (int p = 0; p < hu.Length; p++)
            {
                hu[p] = (float)(1000.0 * (hu[p] - muWaterPerMm) / muWaterPerMm);
            }
        }
        return hu;
    }

    private static byte Grey(double value, double low, double width)
    {
        double t = Math.Clamp((value - low) / width, 0.0, 1.0);
        return (byte)Math.Round(255.0 * t, MidpointRounding.AwayFromZero);
    }

    private static void FillBlock(Span<byte> pixels, int stride, ComparisonPngLayout layout, int panel, int i, int j, byte grey)
    {
        int zoom = layout.Zoom;
        int left = layout.PanelLeft(panel) + i * zoom, top = layout.PanelTop + j * zoom;
        for (int dy = 0; dy < zoom; dy++)
        {
            var row = pixels.Slice((top + dy) * stride + left * 4, zoom * 4);
            for (int q = 0; q < row.Length; q += 4)
            {
                row[q] = grey;
                row[q + 1] = grey;
                row[q + 2] = grey;
                row[q + 3] = 255;
            }
        }
    }

    private static void DrawText(SKBitmap bitmap, ComparisonPngLayout layout, ComparisonPngOptions options)
    {
        var typeface = LabelTypeface.Value;
        if (typeface is null)
        {
            return;
        }
        using var canvas = new SKCanvas(bitmap);
        using var paint = new SKPaint { Color = TextColor, IsAntialias = true };
        string difference = "difference ±" + options.DifferenceHalfWidthHu.ToString("0.##", CultureInfo.InvariantCulture) + " HU";
        string[] labels = ["reference", "reconstruction", difference];
        float baseline = ComparisonPngLayout.MarginPixels + layout.TitleHeight + ComparisonPngLayout.LabelHeight - 5;
        for (int panel = 0; panel < 3; panel++)
        {
            DrawFitted(canvas, paint, typeface, labels[panel], layout.PanelLeft(panel) + layout.PanelWidth / 2f, baseline, layout.PanelWidth);
        }
        if (layout.TitleHeight > 0)
        {
            float titleBaseline = ComparisonPngLayout.MarginPixels + layout.TitleHeight - 6;
            DrawFitted(canvas, paint, typeface, options.Title!, layout.Width / 2f, titleBaseline, layout.Width - 2 * ComparisonPngLayout.MarginPixels);
        }
    }

    /// <summary>Centred text, shrunk (down to <see cref="MinimumFontPixels"/>) to fit <paramref name="maxWidth"/>.</summary>
    private static void DrawFitted(SKCanvas canvas, SKPaint paint, SKTypeface typeface, string text, float centreX, float baseline, float maxWidth)
    {
        using var font = new SKFont(typeface, LabelFontPixels) { Subpixel = true };
        float measured = font.MeasureText(text);
        if (measured > maxWidth)
        {
            // Glyph advances do not scale exactly linearly with size (hinting): leave a little slack.
            font.Size = Math.Max(MinimumFontPixels, 0.95f * LabelFontPixels * maxWidth / measured);
        }
        canvas.DrawText(text, centreX, baseline, SKTextAlign.Center, font, paint);
    }

    private static SKTypeface? FindTypeface()
    {
        // A sans-serif family first (Skia's default may be a serif face, or an empty one without a font configuration).
        foreach (var candidate in new[] { SKFontManager.Default.MatchFamily("DejaVu Sans"), SKFontManager.Default.MatchFamily("Liberation Sans"),
                     SKFontManager.Default.MatchFamily("sans-serif"), SKTypeface.Default })
        {
            if (candidate is not null && candidate.GlyphCount > 0)
            {
                return candidate;
            }
        }
        return null;
    }

    private static void RequireImage(ReadOnlySpan<float> values, int width, int height, string name)
    {
        if (values.Length != (long)width * height)
        {
            throw new ArgumentException($"{name} has {values.Length} values; {width} x {height} needs {(long)width * height}.", name);
        }
        for (int p = 0; p < values.Length; p++)
        {
            if (!float.IsFinite(values[p]))
            {
                throw new ArgumentException($"{name} holds a non-finite value ({values[p]}) at column {p % width}, row {p / width}.", name);
            }
        }
    }

    private static void WriteAtomically(string path, byte[] png)
    {
        string full = Path.GetFullPath(path);
        string temporary = full + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            File.WriteAllBytes(temporary, png);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
