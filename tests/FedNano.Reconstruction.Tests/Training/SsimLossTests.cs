using FedNano.Reconstruction.Metrics;
using FedNano.Reconstruction.Tests.Networks;
using FedNano.Reconstruction.Training;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Tests.Training;

[Collection(CascadeCollection.Name)]
public sealed class SsimLossTests
{
    [Fact]
    public void Ssim_of_the_loss_equals_the_reported_metric_for_the_same_images()
    {
        using var scope = NewDisposeScope();
        var truth = CascadeTestData.TrueImages(0.0, 30.0);
        var noisy = truth + 0.002f * RandnSeeded(truth.shape, 5);
        const double range = 0.04;
        using var loss = new SsimLoss(CascadeTestData.ImageSize, CascadeTestData.ImageSize, range);

        var fromLoss = loss.Ssim(noisy, truth).data<float>().ToArray();

        for (int s = 0; s < 2; s++)
        {
            double reference = ImageMetrics.Ssim(truth[s].contiguous().data<float>().ToArray(), noisy[s].contiguous().data<float>().ToArray(),
                CascadeTestData.ImageSize, CascadeTestData.ImageSize, range);
            Assert.Equal(reference, fromLoss[s], 3e-4);
            Assert.InRange(reference, 0.2, 0.98); // the noise is visible to SSIM, so the comparison means something
        }
    }

    [Fact]
    public void Loss_is_zero_for_identical_images_and_grows_with_the_difference()
    {
        using var scope = NewDisposeScope();
        var truth = CascadeTestData.TrueImages(0.0);
        var noise = RandnSeeded(truth.shape, 6);
        using var loss = new SsimLoss(CascadeTestData.ImageSize, CascadeTestData.ImageSize, 0.04);

        double same = loss.Loss(truth, truth).item<float>();
        double little = loss.Loss(truth + 0.001f * noise, truth).item<float>();
        double more = loss.Loss(truth + 0.004f * noise, truth).item<float>();

        Assert.Equal(0, same, 1e-6);
        Assert.True(0 < little && little < more, $"loss {little} then {more}");
    }

    private static Tensor RandnSeeded(long[] shape, int seed)
    {
        manual_seed(seed);
        return randn(shape);
    }
}
