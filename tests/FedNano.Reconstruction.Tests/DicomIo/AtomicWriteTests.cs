using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Tests.DicomIo;

/// <summary>A series directory appears complete or not at all.</summary>
public sealed class AtomicWriteTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string[] Leftovers() => Directory.GetFileSystemEntries(_temp.Path);

    [Fact]
    public void Cancelled_projection_write_leaves_nothing_behind()
    {
        var scan = SyntheticScans.Create(views: 40);
        using var cts = new CancellationTokenSource();
        var target = _temp.Sub("raw");
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new DicomCtPdWriter().Write(scan, target, new SynchronousProgress(p =>
            {
                if (p >= 20)
                {
                    cts.Cancel();
                }
            }), cts.Token));
        Assert.False(Directory.Exists(target));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void Failed_projection_write_leaves_nothing_behind()
    {
        var scan = SyntheticScans.Create(views: 40);
        var target = _temp.Sub("raw");
        var e = Assert.Throws<InvalidOperationException>(() =>
            new DicomCtPdWriter().Write(scan, target, new SynchronousProgress(p =>
            {
                if (p >= 12)
                {
                    throw new InvalidOperationException("disk full (simulated)");
                }
            })));
        Assert.Equal("disk full (simulated)", e.Message);
        Assert.False(Directory.Exists(target));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void Non_finite_line_integrals_are_refused_before_anything_is_written()
    {
        var scan = SyntheticScans.Create(views: 10);
        scan.LineIntegrals[1234] = float.NaN;
        var target = _temp.Sub("raw");
        var e = Assert.Throws<ArgumentException>(() => new DicomCtPdWriter().Write(scan, target));
        Assert.Contains("index 1234 is NaN", e.Message, StringComparison.Ordinal);
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void A_non_empty_target_is_refused_and_left_untouched()
    {
        var target = _temp.Sub("raw");
        Directory.CreateDirectory(target);
        var keep = Path.Combine(target, "keep.txt");
        File.WriteAllText(keep, "earlier data");
        var e = Assert.Throws<IOException>(() => new DicomCtPdWriter().Write(SyntheticScans.Create(views: 5), target));
        Assert.Contains("not empty", e.Message, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
        Assert.Equal("earlier data", File.ReadAllText(keep));
        Assert.Equal([target], Leftovers());
    }

    [Fact]
    public void An_existing_empty_target_is_filled()
    {
        var target = _temp.Sub("raw");
        Directory.CreateDirectory(target);
        new DicomCtPdWriter().Write(SyntheticScans.Create(views: 5), target);
        Assert.Equal(5, Directory.GetFiles(target).Length);
        Assert.Equal([target], Leftovers());
    }

    [Fact]
    public void Cancelled_image_series_write_leaves_nothing_behind()
    {
        var volume = CtVolume.Zeros(new VolumeGrid(16, 16, 10, 1.0, 2.0, 0.0), VolumeUnit.Hounsfield);
        using var cts = new CancellationTokenSource();
        var target = _temp.Sub("images");
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new CtImageSeriesWriter().Write(volume, SyntheticScans.Metadata(), target, CtSeriesOptions.Default,
                new SynchronousProgress(p =>
                {
                    if (p >= 5)
                    {
                        cts.Cancel();
                    }
                }), cts.Token));
        Assert.Empty(Leftovers());
    }
}
