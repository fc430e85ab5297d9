using FedNano.Reconstruction.Metrics;

namespace FedNano.Reconstruction.Tests.Metrics;

public class MetricMaskTests
{
    [Fact]
    public void Body_mask_covers_the_head_and_not_the_air_around_it()
    {
        const int w = 64, h = 64;
        var hu = MetricImages.HeadSliceHu(w, h);
        var mask = MetricMask.Body(hu, w, h);
        Assert.True(mask[32 * w + 32]);   // brain
        Assert.False(mask[0]);            // corner air
        Assert.False(mask[32 * w + 1]);   // air left of the skull
        for (int p = 0; p < hu.Length; p++)
        {
            if (hu[p] > -900) Assert.True(mask[p], $"tissue pixel {p} ({hu[p]} HU) must be inside");
        }
    }

    [Fact]
    public void Body_mask_fills_air_enclosed_by_the_body()
    {
        const int w = 64, h = 64;
        var hu = MetricImages.HeadSliceHu(w, h);
        // An air pocket (like a sinus or the trachea) inside the brain.
        for (int j = 28; j < 34; j++)
            for (int i = 28; i < 34; i++)
                hu[j * w + i] = -1000;
        var mask = MetricMask.Body(hu, w, h);
        Assert.True(mask[30 * w + 30]);
        Assert.False(mask[0]);
    }

    [Fact]
    public void Body_mask_is_built_per_slice()
    {
        const int w = 32, h = 32;
        var slices = new float[2 * w * h];
        Array.Fill(slices, -1000f);                               // slice 0: all air
        MetricImages.HeadSliceHu(w, h).CopyTo(slices, w * h);     // slice 1: head
        var mask = MetricMask.Body(slices, w, h, 2);
        Assert.Equal(0, MetricMask.Count(mask.AsSpan(0, w * h)));
        Assert.True(mask[w * h + 16 * w + 16]);
    }

    [Fact]
    public void Inscribed_circle_holds_pixel_centres_within_half_the_shorter_side()
    {
        const int w = 40, h = 30;
        var mask = MetricMask.InscribedCircle(w, h, 2);
        Assert.Equal(2 * w * h, mask.Length);
        Assert.True(mask[15 * w + 20]);
        Assert.False(mask[0]);
        Assert.False(mask[15 * w + 2]);   // 17.5 px from the centre, radius 15
        Assert.True(mask[15 * w + 6]);    // 13.5 px
        long perSlice = MetricMask.Count(mask.AsSpan(0, w * h));
        Assert.InRange(perSlice, (long)(Math.PI * 15 * 15 * 0.95), (long)(Math.PI * 15 * 15 * 1.05));
        Assert.Equal(perSlice, MetricMask.Count(mask.AsSpan(w * h)));
    }

    [Fact]
    public void Mask_sizes_are_checked()
    {
        Assert.Throws<ArgumentException>(() => MetricMask.Body(new float[10], 4, 3));
        Assert.Throws<ArgumentException>(() => MetricMask.InscribedCircle(0, 3));
        Assert.Throws<ArgumentException>(() => MetricMask.Body(new float[12], 4, 3, 1, double.NaN));
    }
}
