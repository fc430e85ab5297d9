using SkiaSharp;
using static TorchSharp.torch;

namespace FedNano.TorchRuntime.Tests;

/// <summary>
/// TorchSharp depends on SkiaSharp 2.88.6; the central pin (3.119.0) must win, and its native
/// library must load in a process where libtorch is already loaded.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class SkiaSharpCoexistenceTests(TorchFixture fixture)
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Gray8_bitmap_encodes_to_png_after_torch_ran()
    {
        Assert.Equal(4f, fixture.ProbeSum);

        // Pixel values computed by torch, rendered by SkiaSharp: both natives in one process.
        const int width = 16, height = 8;
        byte[] pixels;
        using (NewDisposeScope())
        {
            var ramp = linspace(0, 255, width * height).reshape(height, width).to(ScalarType.Byte);
            pixels = ramp.data<byte>().ToArray();
        }

        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        Assert.NotNull(data);
        var png = data.ToArray();
        Assert.True(png.Length > PngSignature.Length);
        Assert.Equal(PngSignature, png[..PngSignature.Length]);

        using var decoded = SKBitmap.Decode(png);
        Assert.Equal(width, decoded.Width);
        Assert.Equal(height, decoded.Height);
        Assert.Equal(pixels[width * height - 1], decoded.GetPixel(width - 1, height - 1).Red);
    }

    [Fact]
    public void Centrally_pinned_SkiaSharp_3_wins_over_TorchSharps_2_88()
    {
        var version = typeof(SKBitmap).Assembly.GetName().Version;
        Assert.NotNull(version);
        Assert.Equal(3, version.Major);
        Assert.True(SkiaSharpVersion.Native.Major >= 119 || SkiaSharpVersion.Native >= new Version(3, 0),
            $"native libSkiaSharp {SkiaSharpVersion.Native}");
    }
}
