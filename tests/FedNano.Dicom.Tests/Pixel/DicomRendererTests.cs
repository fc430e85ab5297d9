using System.Runtime.InteropServices;
using FedNano.Dicom;
using SkiaSharp;

namespace FedNano.Dicom.Tests.Pixel;

public class DicomRendererTests
{
    private static readonly DicomTransferSyntax Explicit = DicomTransferSyntax.ExplicitVRLittleEndian;

    private static SKBitmap Decode(byte[] encoded) =>
        SKBitmap.Decode(encoded) ?? throw new InvalidOperationException("SkiaSharp could not decode the rendered image.");

    [Fact]
    public void PNG_of_an_8_bit_gradient_decodes_to_the_same_size_and_values()
    {
        var gradient = PixelTestData.Gradient8(32, 64);
        var png = DicomRenderer.RenderPng(PixelTestData.Image(32, 64, 8, gradient), Explicit);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        using var bitmap = Decode(png);
        Assert.Equal((64, 32), (bitmap.Width, bitmap.Height));
        for (var y = 0; y < 32; y += 7)
            for (var x = 0; x < 64; x++)
            {
                var c = bitmap.GetPixel(x, y);
                Assert.Equal(gradient[y * 64 + x], c.Red);
                Assert.Equal(c.Red, c.Green);
                Assert.Equal(c.Red, c.Blue);
            }
    }

    [Fact]
    public void MONOCHROME1_renders_inverted()
    {
        var gradient = PixelTestData.Gradient8(4, 64);
        var ds = PixelTestData.Image(4, 64, 8, gradient, photometric: "MONOCHROME1");
        using var bitmap = Decode(DicomRenderer.RenderPng(ds, Explicit));
        Assert.Equal(255, bitmap.GetPixel(0, 0).Red);
        Assert.Equal(0, bitmap.GetPixel(63, 0).Red);
        Assert.Equal(255 - gradient[20], bitmap.GetPixel(20, 1).Red);
    }

    [Fact]
    public void JPEG_of_a_gradient_decodes_to_the_same_size_and_close_values()
    {
        var gradient = PixelTestData.Gradient8(32, 64);
        var jpeg = DicomRenderer.RenderJpeg(PixelTestData.Image(32, 64, 8, gradient), Explicit, quality: 95);
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, jpeg[..2]);
        using var bitmap = Decode(jpeg);
        Assert.Equal((64, 32), (bitmap.Width, bitmap.Height));
        for (var x = 0; x < 64; x += 5)
            Assert.InRange(bitmap.GetPixel(x, 16).Red, gradient[16 * 64 + x] - 4, gradient[16 * 64 + x] + 4);
    }

    [Fact]
    public void Explicit_window_is_applied_to_modality_values()
    {
        short[] values = [-1000, 0, 40, 80, 1000, 40];
        var ds = PixelTestData.Image(2, 3, 16, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), pixelRepresentation: 1)
            .AddOrUpdate(DicomTags.RescaleIntercept, DicomVR.DS, "-10");
        var window = new DicomWindow(30, 81);
        using var bitmap = Decode(DicomRenderer.RenderPng(ds, Explicit, window: window));
        // modality = stored - 10
        var expected = values.Select(v => (int)window.Map(v - 10)).ToArray();
        var actual = Enumerable.Range(0, 6).Select(i => (int)bitmap.GetPixel(i % 3, i / 3).Red).ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal([0, 2, 129, 255, 255, 129], actual);
    }

    [Fact]
    public void Dataset_window_is_used_by_default()
    {
        var ds = PixelTestData.Image(1, 3, 8, [0, 100, 200])
            .AddOrUpdate(DicomTags.WindowCenter, DicomVR.DS, "100")
            .AddOrUpdate(DicomTags.WindowWidth, DicomVR.DS, "1");
        using var bitmap = Decode(DicomRenderer.RenderPng(ds, Explicit));
        Assert.Equal([0, 255, 255], Enumerable.Range(0, 3).Select(x => (int)bitmap.GetPixel(x, 0).Red));
    }

    [Fact]
    public void Viewport_scaling_keeps_the_aspect_ratio()
    {
        var ds = PixelTestData.Image(32, 64, 8, PixelTestData.Gradient8(32, 64));
        using var bitmap = Decode(DicomRenderer.RenderPng(ds, Explicit, maxWidth: 16, maxHeight: 16));
        Assert.Equal((16, 8), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public void Viewport_scaling_never_enlarges()
    {
        var ds = PixelTestData.Image(32, 64, 8, PixelTestData.Gradient8(32, 64));
        using var bitmap = Decode(DicomRenderer.RenderJpeg(ds, Explicit, maxWidth: 1000, maxHeight: 1000));
        Assert.Equal((64, 32), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public void Scaled_gradient_keeps_its_values_roughly()
    {
        var ds = PixelTestData.Image(128, 256, 8, PixelTestData.Gradient8(128, 256));
        using var bitmap = Decode(DicomRenderer.RenderPng(ds, Explicit, maxWidth: 64));
        Assert.Equal((64, 32), (bitmap.Width, bitmap.Height));
        Assert.InRange((int)bitmap.GetPixel(32, 16).Red, 118, 138);
        Assert.InRange((int)bitmap.GetPixel(0, 16).Red, 0, 8);
    }

    [Theory]
    [InlineData(100, 50, 20, null, 20, 10)]
    [InlineData(100, 50, null, 10, 20, 10)]
    [InlineData(100, 50, 1000, 1000, 100, 50)]
    [InlineData(3, 1000, 100, 100, 1, 100)]
    public void FitWithin_scales_down_to_the_tighter_limit(int w, int h, int? mw, int? mh, int ew, int eh)
    {
        Assert.Equal((ew, eh), DicomRenderer.FitWithin(w, h, mw, mh));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void RGB_renders_in_both_planar_configurations(int planar)
    {
        // 2 x 1 pixels: red, then (10, 20, 30)
        byte[] data = planar == 0 ? [255, 0, 0, 10, 20, 30] : [255, 10, 0, 20, 0, 30];
        var ds = PixelTestData.Image(1, 2, 8, data, samples: 3, planar: planar);
        using var bitmap = Decode(DicomRenderer.RenderPng(ds, Explicit));
        Assert.Equal(new SKColor(255, 0, 0), bitmap.GetPixel(0, 0));
        Assert.Equal(new SKColor(10, 20, 30), bitmap.GetPixel(1, 0));
    }

    [Fact]
    public void YBR_FULL_is_converted_to_RGB()
    {
        // Y=128 Cb=Cr=128 is mid grey; Y=76 Cb=85 Cr=255 is (about) pure red.
        var ds = PixelTestData.Image(1, 2, 8, [128, 128, 128, 76, 85, 255], samples: 3, photometric: "YBR_FULL");
        using var bitmap = Decode(DicomRenderer.RenderPng(ds, Explicit));
        Assert.Equal(new SKColor(128, 128, 128), bitmap.GetPixel(0, 0));
        var red = bitmap.GetPixel(1, 0);
        Assert.InRange((int)red.Red, 250, 255);
        Assert.InRange((int)red.Green, 0, 3);
        Assert.InRange((int)red.Blue, 0, 3);
    }

    [Fact]
    public void YBR_FULL_422_native_pairs_share_their_chroma()
    {
        // Y1 Y2 Cb Cr for 2 pixels.
        var ds = PixelTestData.Image(1, 2, 8, [50, 200, 128, 128], samples: 3, photometric: "YBR_FULL_422");
        using var bitmap = Decode(DicomRenderer.RenderPng(ds, Explicit));
        Assert.Equal(new SKColor(50, 50, 50), bitmap.GetPixel(0, 0));
        Assert.Equal(new SKColor(200, 200, 200), bitmap.GetPixel(1, 0));
    }

    [Fact]
    public void Palette_color_is_looked_up()
    {
        var ds = PixelTestData.Image(1, 2, 8, [0, 1], photometric: "PALETTE COLOR");
        foreach (var (descriptor, data, values) in new[]
        {
            (DicomTags.RedPaletteColorLookupTableDescriptor, DicomTags.RedPaletteColorLookupTableData, new ushort[] { 0xFF00, 0x0000 }),
            (DicomTags.GreenPaletteColorLookupTableDescriptor, DicomTags.GreenPaletteColorLookupTableData, new ushort[] { 0x0000, 0x8000 }),
            (DicomTags.BluePaletteColorLookupTableDescriptor, DicomTags.BluePaletteColorLookupTableData, new ushort[] { 0x0000, 0xFFFF }),
        })
        {
            ds.AddOrUpdate(descriptor, DicomVR.US, (ushort)2, (ushort)0, (ushort)16);
            ds.AddOrUpdate(data, DicomVR.OW, values);
        }
        using var bitmap = Decode(DicomRenderer.RenderPng(ds, Explicit));
        Assert.Equal(new SKColor(255, 0, 0), bitmap.GetPixel(0, 0));
        Assert.Equal(new SKColor(0, 128, 255), bitmap.GetPixel(1, 0));
    }

    [Fact]
    public void RLE_frames_render_like_native_ones()
    {
        var gradient = PixelTestData.Gradient8(16, 32);
        var native = PixelTestData.Image(16, 32, 8, gradient, frames: 1);
        var rle = DicomTranscoder.Transcode(native, Explicit, DicomTransferSyntax.RLELossless);
        Assert.Equal(DicomRenderer.RenderPng(native, Explicit), DicomRenderer.RenderPng(rle, DicomTransferSyntax.RLELossless));
    }

    [Fact]
    public void Second_frame_is_rendered_when_asked()
    {
        byte[] frames = [0, 0, 0, 0, 255, 255, 255, 255];
        var ds = PixelTestData.Image(2, 2, 8, frames, frames: 2)
            .AddOrUpdate(DicomTags.WindowCenter, DicomVR.DS, "128")
            .AddOrUpdate(DicomTags.WindowWidth, DicomVR.DS, "256");
        using var bitmap = Decode(DicomRenderer.RenderPng(ds, Explicit, frame: 1));
        Assert.Equal(255, bitmap.GetPixel(1, 1).Red);
    }

    [Fact]
    public void Missing_frame_throws_ArgumentOutOfRangeException()
    {
        var ds = PixelTestData.Image(2, 2, 8, new byte[4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => DicomRenderer.RenderPng(ds, Explicit, frame: 1));
    }

    [Fact]
    public void Unsupported_photometric_interpretation_throws_DicomDataException()
    {
        var ds = PixelTestData.Image(1, 1, 8, new byte[4], samples: 4, photometric: "CMYK");
        var e = Assert.Throws<DicomDataException>(() => DicomRenderer.RenderPng(ds, Explicit));
        Assert.Contains("not supported", e.Message);
    }
}
