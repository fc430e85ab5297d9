using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Volumes;
using SkiaSharp;

namespace FedNano.Reconstruction.Tests.Phantoms;

public sealed class PhantomPreviewTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("phantom-preview-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Axial_png_has_one_pixel_per_voxel_with_the_window_applied()
    {
        // A 2-slice volume: air everywhere except a soft-tissue block in slice 1.
        var grid = new VolumeGrid(20, 10, 2, 1, 1, 0);
        var values = Enumerable.Repeat(-1000f, (int)grid.VoxelCount).ToArray();
        for (int j = 2; j < 6; j++)
        {
            for (int i = 3; i < 9; i++)
            {
                values[(1 * 10 + j) * 20 + i] = 40;
            }
        }
        values[(1 * 10 + 9) * 20 + 19] = 3000;
        string path = Path.Combine(_dir, "axial.png");
        PhantomPreview.WritePng(new CtVolume(grid, values, VolumeUnit.Hounsfield), path, 1, 40, 400);

        using SKBitmap png = SKBitmap.Decode(path);
        Assert.Equal(20, png.Width);
        Assert.Equal(10, png.Height);
        Assert.Equal(0, png.GetPixel(0, 0).Red);        // air, below the window
        Assert.Equal(128, png.GetPixel(4, 3).Red);      // the window centre maps to mid-grey
        Assert.Equal(255, png.GetPixel(19, 9).Red);     // above the window
    }

    [Fact]
    public void Phantom_slices_and_coronal_planes_can_be_previewed()
    {
        CtVolume hu = new HeadPhantom().Generate(new VolumeGrid(48, 56, 6, 4, 35, -90), 1).Hounsfield;
        string axial = Path.Combine(_dir, "head.png"), coronal = Path.Combine(_dir, "head-coronal.png");
        PhantomPreview.WritePng(hu, axial, 4, 40, 400);
        PhantomPreview.WriteCoronalPng(hu, coronal, 28, 40, 400);
        using SKBitmap a = SKBitmap.Decode(axial);
        using SKBitmap c = SKBitmap.Decode(coronal);
        Assert.Equal((48, 56), (a.Width, a.Height));
        Assert.Equal(48, c.Width);
        Assert.Equal((int)Math.Round(6 * 35 / 4.0), c.Height); // square pixels
        Assert.True(a.GetPixel(24, 28).Red > a.GetPixel(0, 0).Red, "head brighter than the air around it");
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        var grid = new VolumeGrid(4, 4, 1, 1, 1, 0);
        var mu = CtVolume.Zeros(grid, VolumeUnit.AttenuationPerMm);
        var hu = CtVolume.Zeros(grid, VolumeUnit.Hounsfield);
        string path = Path.Combine(_dir, "x.png");
        Assert.Throws<ArgumentException>(() => PhantomPreview.WritePng(mu, path, 0, 40, 400));
        Assert.Throws<ArgumentException>(() => PhantomPreview.WritePng(hu, path, 1, 40, 400));
        Assert.Throws<ArgumentException>(() => PhantomPreview.WritePng(hu, path, 0, 40, 0));
        Assert.Throws<ArgumentException>(() => PhantomPreview.WritePng(hu, " ", 0, 40, 400));
        Assert.Throws<ArgumentException>(() => PhantomPreview.WriteCoronalPng(hu, path, 4, 40, 400));
    }
}
