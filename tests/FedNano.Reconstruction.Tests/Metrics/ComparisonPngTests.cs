using FedNano.Reconstruction.Metrics;
using FedNano.Reconstruction.Volumes;
using SkiaSharp;

namespace FedNano.Reconstruction.Tests.Metrics;

public sealed class ComparisonPngTests : IDisposable
{
    private const int W = 64, H = 48;
    private readonly string _directory = Directory.CreateTempSubdirectory("fednano-comparison-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static SKBitmap Decode(string path)
    {
        var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        return bitmap;
    }

    private static byte GreyAt(SKBitmap bitmap, ComparisonPngLayout layout, int panel, int i, int j)
    {
        // Centre of the zoomed block of image pixel (i, j).
        var c = bitmap.GetPixel(layout.PanelLeft(panel) + i * layout.Zoom + layout.Zoom / 2, layout.PanelTop + j * layout.Zoom + layout.Zoom / 2);
        Assert.Equal(c.Red, c.Green);
        Assert.Equal(c.Red, c.Blue);
        return c.Red;
    }

    [Fact]
    public void Writes_a_decodable_png_of_the_layout_size()
    {
        var x = MetricImages.HeadSliceHu(W, H);
        var path = Path.Combine(_directory, "comparison.png");
        var options = new ComparisonPngOptions { Title = "RRMSE 1.2 %, SSIM 0.9900" };
        ComparisonPng.Write(path, x, MetricImages.BlurredNoisy(x, W, H, 20, 1), W, H, options);
        var layout = ComparisonPngLayout.For(W, H, options);
        using var bitmap = Decode(path);
        Assert.Equal(layout.Width, bitmap.Width);
        Assert.Equal(layout.Height, bitmap.Height);
        Assert.Equal(4, layout.Zoom);                 // 64 px → 256 px panels
        Assert.Equal(3 * 4 * W + 4 * ComparisonPngLayout.MarginPixels, bitmap.Width);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void Difference_panel_is_mid_grey_where_the_images_agree_and_signed_where_they_differ()
    {
        var x = MetricImages.HeadSliceHu(W, H);
        var y = (float[])x.Clone();
        y[10 * W + 20] += 50;    // reconstruction brighter: half-way to white at ±100 HU
        y[30 * W + 40] -= 500;   // far darker: clipped to black
        var layout = ComparisonPngLayout.For(W, H, ComparisonPngOptions.Default);
        using var bitmap = SKBitmap.Decode(ComparisonPng.Encode(x, y, W, H, ComparisonPngOptions.Default));
        Assert.Equal(128, GreyAt(bitmap, layout, 2, 5, 5));
        Assert.Equal(128, GreyAt(bitmap, layout, 2, 32, 24));
        Assert.Equal(191, GreyAt(bitmap, layout, 2, 20, 10));   // round(255·150/200)
        Assert.Equal(0, GreyAt(bitmap, layout, 2, 40, 30));
    }

    [Fact]
    public void Reference_and_reconstruction_panels_use_the_display_window()
    {
        var x = new float[W * H];
        Array.Fill(x, -1000f);
        x[0] = 40;                 // window centre → 128
        x[1] = 240;                // top of the window → white
        x[2] = -160;               // bottom → black
        x[3] = 140;                // 3/4 → 191
        var y = (float[])x.Clone();
        var options = ComparisonPngOptions.Default with { Zoom = 2 };
        var layout = ComparisonPngLayout.For(W, H, options);
        using var bitmap = SKBitmap.Decode(ComparisonPng.Encode(x, y, W, H, options));
        foreach (int panel in new[] { 0, 1 })
        {
            Assert.Equal(128, GreyAt(bitmap, layout, panel, 0, 0));
            Assert.Equal(255, GreyAt(bitmap, layout, panel, 1, 0));
            Assert.Equal(0, GreyAt(bitmap, layout, panel, 2, 0));
            Assert.Equal(191, GreyAt(bitmap, layout, panel, 3, 0));
        }
    }

    [Fact]
    public void Labels_and_title_are_drawn_above_the_panels()
    {
        var x = MetricImages.HeadSliceHu(W, H);
        var options = new ComparisonPngOptions { Title = "title line" };
        var layout = ComparisonPngLayout.For(W, H, options);
        using var bitmap = SKBitmap.Decode(ComparisonPng.Encode(x, x, W, H, options));
        // Text is light on the dark background: count bright pixels in each label strip and in the title strip.
        for (int panel = 0; panel < 3; panel++)
        {
            int top = ComparisonPngLayout.MarginPixels + layout.TitleHeight;
            Assert.True(BrightPixels(bitmap, layout.PanelLeft(panel), top, layout.PanelWidth, ComparisonPngLayout.LabelHeight) > 20,
                $"label of panel {panel} missing (is a font installed?)");
        }
        Assert.True(BrightPixels(bitmap, 0, ComparisonPngLayout.MarginPixels, layout.Width, layout.TitleHeight) > 20, "title missing");
    }

    [Fact]
    public void Volume_overload_shows_the_chosen_slice_in_HU()
    {
        var grid = new VolumeGrid(W, H, 2, 220.0 / W, 5, 0);
        var values = new float[2 * W * H];
        Array.Fill(values, -1000f, 0, W * H);   // slice 0 air
        Array.Fill(values, 30f, W * H, W * H);  // slice 1: 30 HU → round(255·190/400) = 121
        var reference = new CtVolume(grid, values, VolumeUnit.Hounsfield);
        var reconstruction = reference.ToAttenuation(MetricImages.MuWater);
        var path = Path.Combine(_directory, "slice.png");
        ComparisonPng.Write(path, reference, reconstruction, 1, ComparisonPngOptions.Default);
        var layout = ComparisonPngLayout.For(W, H, ComparisonPngOptions.Default);
        using var bitmap = Decode(path);
        Assert.Equal(121, GreyAt(bitmap, layout, 0, 10, 10));
        Assert.Equal(121, GreyAt(bitmap, layout, 1, 10, 10));
        // HU → μ → HU leaves float rounding (about 1e-5 HU) that may tip 127.5 either way.
        Assert.InRange(GreyAt(bitmap, layout, 2, 10, 10), (byte)127, (byte)128);
        Assert.Throws<ArgumentOutOfRangeException>(() => ComparisonPng.Encode(reference, reconstruction, 2, ComparisonPngOptions.Default));
    }

    [Fact]
    public void Invalid_input_is_rejected()
    {
        var x = MetricImages.HeadSliceHu(W, H);
        Assert.Throws<ArgumentException>(() => ComparisonPng.Encode(x, x.AsSpan(1), W, H, ComparisonPngOptions.Default));
        var nan = (float[])x.Clone();
        nan[5] = float.NaN;
        Assert.Contains("non-finite", Assert.Throws<ArgumentException>(() => ComparisonPng.Encode(x, nan, W, H, ComparisonPngOptions.Default)).Message);
        Assert.Throws<ArgumentException>(() => ComparisonPng.Encode(x, x, W, H, new ComparisonPngOptions { WindowWidthHu = 0 }));
        Assert.Throws<ArgumentException>(() => ComparisonPng.Encode(x, x, W, H, new ComparisonPngOptions { DifferenceHalfWidthHu = -5 }));
        Assert.Throws<ArgumentException>(() => ComparisonPng.Encode(x, x, W, H, new ComparisonPngOptions { Zoom = 0 }));
    }

    private static int BrightPixels(SKBitmap bitmap, int left, int top, int width, int height)
    {
        int n = 0;
        for (int y = top; y < top + height; y++)
            for (int x = left; x < left + width; x++)
                if (bitmap.GetPixel(x, y).Red > 150) n++;
        return n;
    }
}
