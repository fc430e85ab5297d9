using System.Runtime.InteropServices;
using SkiaSharp;

namespace FedNano.Dicom;

/// <summary>
/// Renders a frame to PNG or JPEG (for WADO-RS /rendered and /thumbnail): monochrome through the Modality LUT
/// (rescale) and a VOI window (MONOCHROME1 inverted), color as RGB (YBR_FULL, YBR_FULL_422, YBR_PARTIAL_422 converted,
/// PALETTE COLOR looked up), optionally scaled down to fit a viewport keeping the aspect ratio.
/// </summary>
public static class DicomRenderer
{
    /// <summary>Largest frame (in pixels) that will be rendered.</summary>
    public const long MaxPixels = 1L << 28;

    /// <summary>Renders frame <paramref name="frame"/> (0-based) as PNG.</summary>
    /// <param name="dataset">The dataset with the Image Pixel module and Pixel Data.</param>
    /// <param name="syntax">The transfer syntax the pixel data is in.</param>
    /// <param name="frame">The frame, 0-based.</param>
    /// <param name="window">The VOI window for monochrome data; default: the dataset's first window, else the frame's min/max.</param>
    /// <param name="maxWidth">Scale down (keeping the aspect ratio) so the width is at most this.</param>
    /// <param name="maxHeight">Scale down (keeping the aspect ratio) so the height is at most this.</param>
    /// <exception cref="DicomDataException">The pixel data is invalid, cannot be decoded, or its photometric interpretation is not supported.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The frame does not exist or a maximum size is not positive.</exception>
    public static byte[] RenderPng(DicomDataset dataset, DicomTransferSyntax syntax, int frame = 0, DicomWindow? window = null,
        int? maxWidth = null, int? maxHeight = null) =>
        Render(dataset, syntax, frame, window, maxWidth, maxHeight, SKEncodedImageFormat.Png, 100);

    /// <summary>Renders frame <paramref name="frame"/> (0-based) as JPEG with the given quality (1-100).</summary>
    /// <param name="dataset">The dataset with the Image Pixel module and Pixel Data.</param>
    /// <param name="syntax">The transfer syntax the pixel data is in.</param>
    /// <param name="frame">The frame, 0-based.</param>
    /// <param name="window">The VOI window for monochrome data; default: the dataset's first window, else the frame's min/max.</param>
    /// <param name="maxWidth">Scale down (keeping the aspect ratio) so the width is at most this.</param>
    /// <param name="maxHeight">Scale down (keeping the aspect ratio) so the height is at most this.</param>
    /// <param name="quality">JPEG quality, 1 to 100.</param>
    /// <exception cref="DicomDataException">The pixel data is invalid, cannot be decoded, or its photometric interpretation is not supported.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The frame does not exist, a maximum size is not positive, or the quality is outside 1-100.</exception>
    public static byte[] RenderJpeg(DicomDataset dataset, DicomTransferSyntax syntax, int frame = 0, DicomWindow? window = null,
        int? maxWidth = null, int? maxHeight = null, int quality = 90)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        return Render(dataset, syntax, frame, window, maxWidth, maxHeight, SKEncodedImageFormat.Jpeg, quality);
    }

    private static byte[] Render(DicomDataset dataset, DicomTransferSyntax syntax, int frame, DicomWindow? window,
        int? maxWidth, int? maxHeight, SKEncodedImageFormat format, int quality)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        if (maxWidth is <= 0) throw new ArgumentOutOfRangeException(nameof(maxWidth), maxWidth, "Maximum width must be positive.");
        if (maxHeight is <= 0) throw new ArgumentOutOfRangeException(nameof(maxHeight), maxHeight, "Maximum height must be positive.");
        var pixelData = DicomPixelData.Create(dataset, syntax);
        using var bitmap = RenderBitmap(pixelData, frame, window);
        var (width, height) = FitWithin(bitmap.Width, bitmap.Height, maxWidth, maxHeight);
        if (width == bitmap.Width && height == bitmap.Height) return Encode(bitmap, format, quality);
        using var scaled = Scale(bitmap, width, height);
        return Encode(scaled, format, quality);
    }

    /// <summary>
    /// The size of a <paramref name="width"/> × <paramref name="height"/> image scaled down (never up) to fit within the
    /// given maxima, keeping the aspect ratio; each side at least 1.
    /// </summary>
    public static (int Width, int Height) FitWithin(int width, int height, int? maxWidth, int? maxHeight)
    {
        var scale = 1.0;
        if (maxWidth is { } mw && width > mw) scale = Math.Min(scale, (double)mw / width);
        if (maxHeight is { } mh && height > mh) scale = Math.Min(scale, (double)mh / height);
        if (scale >= 1) return (width, height);
        var w = Math.Max(1, (int)Math.Round(width * scale));
        var h = Math.Max(1, (int)Math.Round(height * scale));
        if (maxWidth is { } w2) w = Math.Min(w, w2);
        if (maxHeight is { } h2) h = Math.Min(h, h2);
        return (w, h);
    }

    /// <summary>
    /// Renders a frame to a bitmap at its own size: <see cref="SKColorType.Gray8"/> for monochrome,
    /// <see cref="SKColorType.Rgba8888"/> (opaque) for color. The caller disposes it.
    /// </summary>
    /// <exception cref="DicomDataException">The frame cannot be decoded or its photometric interpretation is not supported.</exception>
    public static SKBitmap RenderBitmap(DicomPixelData pixelData, int frame = 0, DicomWindow? window = null)
    {
        ArgumentNullException.ThrowIfNull(pixelData);
        int width = pixelData.Columns, height = pixelData.Rows;
        if ((long)width * height > MaxPixels)
            throw new DicomDataException($"Frame of {width} x {height} pixels is too large to render (limit {MaxPixels} pixels).");
        var photometric = pixelData.PhotometricInterpretation;

        if (pixelData.IsMonochrome || (photometric.Length == 0 && pixelData.SamplesPerPixel == 1))
        {
            if (pixelData.SamplesPerPixel != 1)
                throw new DicomDataException($"{photometric} with {pixelData.SamplesPerPixel} samples per pixel is invalid.");
            var values = pixelData.GetModalityValues(frame);
            window ??= DicomWindow.GetDefault(pixelData, values);
            var gray = new byte[values.Length];
            window.Apply(values, gray, invert: photometric == "MONOCHROME1");
            return CreateBitmap(gray, width, height, SKColorType.Gray8, 1);
        }

        var rgba = photometric switch
        {
            "RGB" => ToRgba(pixelData, frame, static (a, b, c) => (a, b, c)),
            "YBR_FULL" => ToRgba(pixelData, frame, YbrFullToRgb),
            "YBR_FULL_422" when pixelData.IsEncapsulated => ToRgba(pixelData, frame, YbrFullToRgb),
            "YBR_FULL_422" => From422(pixelData, frame, YbrFullToRgb),
            "YBR_PARTIAL_422" when pixelData.IsEncapsulated => ToRgba(pixelData, frame, YbrPartialToRgb),
            "YBR_PARTIAL_422" => From422(pixelData, frame, YbrPartialToRgb),
            "PALETTE COLOR" => FromPalette(pixelData, frame),
            _ => throw new DicomDataException($"Rendering Photometric Interpretation '{photometric}' is not supported yet."),
        };
        return CreateBitmap(rgba, width, height, SKColorType.Rgba8888, 4);
    }

    // ---------------------------------------------------------------- color

    private delegate (int R, int G, int B) ColorConversion(int a, int b, int c);

    private static (int, int, int) YbrFullToRgb(int y, int cb, int cr) => (
        (int)Math.Round(y + 1.402 * (cr - 128)),
        (int)Math.Round(y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128)),
        (int)Math.Round(y + 1.772 * (cb - 128)));

    private static (int, int, int) YbrPartialToRgb(int y, int cb, int cr)
    {
        var yy = 1.164383 * (y - 16);
        return ((int)Math.Round(yy + 1.596027 * (cr - 128)),
            (int)Math.Round(yy - 0.391762 * (cb - 128) - 0.812968 * (cr - 128)),
            (int)Math.Round(yy + 2.017232 * (cb - 128)));
    }

    private static byte Clamp(int v) => v < 0 ? (byte)0 : v > 255 ? (byte)255 : (byte)v;

    /// <summary>Scales stored samples to 8 bits (unsigned; signed color samples are offset to unsigned).</summary>
    private static int[] SamplesTo8Bits(DicomPixelData pd, int frame)
    {
        var values = pd.GetFrame<int>(frame);
        var shift = Math.Max(0, pd.BitsStored - 8);
        var offset = pd.IsSigned ? 1 << (pd.BitsStored - 1) : 0;
        if (shift == 0 && offset == 0) return values;
        for (var i = 0; i < values.Length; i++) values[i] = (values[i] + offset) >> shift;
        return values;
    }

    private static byte[] ToRgba(DicomPixelData pd, int frame, ColorConversion convert)
    {
        if (pd.SamplesPerPixel != 3)
            throw new DicomDataException($"{pd.PhotometricInterpretation} needs 3 samples per pixel, not {pd.SamplesPerPixel}.");
        var v = SamplesTo8Bits(pd, frame);
        var pixels = pd.Rows * pd.Columns;
        var rgba = new byte[pixels * 4];
        var planar = pd.PlanarConfiguration == 1;
        for (var p = 0; p < pixels; p++)
        {
            int a, b, c;
            if (planar) { a = v[p]; b = v[pixels + p]; c = v[2 * pixels + p]; }
            else { a = v[3 * p]; b = v[3 * p + 1]; c = v[3 * p + 2]; }
            var (r, g, bl) = convert(a, b, c);
            rgba[4 * p] = Clamp(r);
            rgba[4 * p + 1] = Clamp(g);
            rgba[4 * p + 2] = Clamp(bl);
            rgba[4 * p + 3] = 255;
        }
        return rgba;
    }

    /// <summary>Native 4:2:2 data: each pair of pixels in a row is stored as Y1 Y2 Cb Cr (PS3.3 §C.7.6.3.1.2).</summary>
    private static byte[] From422(DicomPixelData pd, int frame, ColorConversion convert)
    {
        if (pd.SamplesPerPixel != 3)
            throw new DicomDataException($"{pd.PhotometricInterpretation} needs 3 samples per pixel, not {pd.SamplesPerPixel}.");
        if (pd.Columns % 2 != 0)
            throw new DicomDataException($"{pd.PhotometricInterpretation} needs an even number of columns, not {pd.Columns}.");
        var v = SamplesTo8Bits(pd, frame);
        var pixels = pd.Rows * pd.Columns;
        var rgba = new byte[pixels * 4];
        for (int p = 0, src = 0; p < pixels; p += 2, src += 4)
        {
            int cb = v[src + 2], cr = v[src + 3];
            for (var k = 0; k < 2; k++)
            {
                var (r, g, b) = convert(v[src + k], cb, cr);
                var o = 4 * (p + k);
                rgba[o] = Clamp(r);
                rgba[o + 1] = Clamp(g);
                rgba[o + 2] = Clamp(b);
                rgba[o + 3] = 255;
            }
        }
        return rgba;
    }

    private static byte[] FromPalette(DicomPixelData pd, int frame)
    {
        if (pd.SamplesPerPixel != 1)
            throw new DicomDataException($"PALETTE COLOR needs 1 sample per pixel, not {pd.SamplesPerPixel}.");
        var ds = pd.Dataset;
        var red = ReadPalette(ds, DicomTags.RedPaletteColorLookupTableDescriptor, DicomTags.RedPaletteColorLookupTableData, "Red");
        var green = ReadPalette(ds, DicomTags.GreenPaletteColorLookupTableDescriptor, DicomTags.GreenPaletteColorLookupTableData, "Green");
        var blue = ReadPalette(ds, DicomTags.BluePaletteColorLookupTableDescriptor, DicomTags.BluePaletteColorLookupTableData, "Blue");
        var values = pd.GetFrame<long>(frame);
        var rgba = new byte[values.Length * 4];
        for (var p = 0; p < values.Length; p++)
        {
            rgba[4 * p] = red.Lookup(values[p]);
            rgba[4 * p + 1] = green.Lookup(values[p]);
            rgba[4 * p + 2] = blue.Lookup(values[p]);
            rgba[4 * p + 3] = 255;
        }
        return rgba;
    }

    private sealed record Palette(byte[] Entries, long FirstMapped)
    {
        public byte Lookup(long value)
        {
            var i = value - FirstMapped;
            return Entries[i < 0 ? 0 : i >= Entries.Length ? Entries.Length - 1 : (int)i];
        }
    }

    private static Palette ReadPalette(DicomDataset ds, DicomTag descriptorTag, DicomTag dataTag, string name)
    {
        var descriptor = ds.GetValues<long>(descriptorTag);
        if (descriptor.Length < 3)
            throw new DicomDataException($"PALETTE COLOR: {name} Palette Color Lookup Table Descriptor {descriptorTag} is missing or incomplete.");
        if (!ds.TryGetElement(dataTag, out var data))
            throw new DicomDataException($"PALETTE COLOR: {name} Palette Color Lookup Table Data {dataTag} is missing (segmented palettes are not supported yet).");
        var count = descriptor[0] is var c and > 0 ? (int)(c & 0xFFFF) : 65536;
        if (count == 0) count = 65536;
        var first = descriptor[1];
        var bits = descriptor[2];
        var bytes = data.Value.GetMemory().Span;
        var entries = new byte[count];
        if (bytes.Length >= 2 * count)
        {
            var words = MemoryMarshal.Cast<byte, ushort>(bytes[..(2 * count)]);
            for (var i = 0; i < count; i++) entries[i] = bits == 8 ? (byte)words[i] : (byte)(words[i] >> 8);
        }
        else if (bytes.Length >= count && bits == 8)
        {
            bytes[..count].CopyTo(entries);
        }
        else
        {
            throw new DicomDataException($"PALETTE COLOR: {name} Palette Color Lookup Table Data has {bytes.Length} bytes for {count} entries of {bits} bits.");
        }
        return new Palette(entries, first);
    }

    // ---------------------------------------------------------------- Skia

    private static SKBitmap CreateBitmap(byte[] pixels, int width, int height, SKColorType colorType, int bytesPerPixel)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, colorType, SKAlphaType.Opaque));
        try
        {
            var rowBytes = bitmap.RowBytes;
            var destination = bitmap.GetPixels();
            if (destination == IntPtr.Zero) throw new DicomDataException($"Could not allocate a {width} x {height} bitmap.");
            var stride = width * bytesPerPixel;
            for (var r = 0; r < height; r++)
                Marshal.Copy(pixels, r * stride, destination + r * rowBytes, stride);
            bitmap.NotifyPixelsChanged();
            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    private static SKBitmap Scale(SKBitmap source, int width, int height)
    {
        // Large reductions: trilinear over mipmaps (no aliasing); moderate ones: Mitchell cubic.
        var sampling = width * 2 <= source.Width || height * 2 <= source.Height
            ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
            : new SKSamplingOptions(SKCubicResampler.Mitchell);
        var scaled = new SKBitmap(new SKImageInfo(width, height, source.ColorType, SKAlphaType.Opaque));
        if (!source.ScalePixels(scaled, sampling))
        {
            scaled.Dispose();
            throw new DicomDataException($"Could not scale a {source.Width} x {source.Height} image to {width} x {height}.");
        }
        return scaled;
    }

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality)
    {
        using var pixmap = bitmap.PeekPixels()
            ?? throw new DicomDataException("Could not access the rendered pixels.");
        // PNG: zlib level 3 is several times faster than the default 6 for a few percent more bytes.
        using var data = (format == SKEncodedImageFormat.Png
                ? pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 3))
                : pixmap.Encode(new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)))
            ?? throw new DicomDataException($"Could not encode the image as {format}.");
        return data.ToArray();
    }
}
