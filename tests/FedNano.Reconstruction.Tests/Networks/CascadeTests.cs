using System.Diagnostics;
using FedNano.Reconstruction.Analytic;
using FedNano.Reconstruction.Networks;
using FedNano.Reconstruction.Torch;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Tests.Networks;

[Collection(CascadeCollection.Name)]
public sealed class CascadeTests(ITestOutputHelper output)
{
    private static readonly double[] Slices = [-30.0, 0.0, 30.0];

    [Fact]
    public void Config_survives_a_json_round_trip()
    {
        var config = CascadeTestData.TinyConfig(imageCnn: false, neighbourSlices: 1) with { FbpWindow = ReconstructionFilter.Hann, FbpCutoff = 0.8 };

        string json = config.ToJson();
        var back = DualDomainConfig.FromJson(json);

        Assert.Equal(config, back);
        Assert.Contains("\"fbpWindow\": \"hann\"", json, StringComparison.Ordinal);
        Assert.Contains("\"shape\": \"curved\"", json, StringComparison.Ordinal);
        Assert.Contains("\"rowPattern\": \"4x2g2\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_json_with_an_unknown_field_is_rejected()
    {
        string json = CascadeTestData.TinyConfig().ToJson().Replace("\"imageSize\"", "\"imageSizePx\"", StringComparison.Ordinal);

        var error = Assert.Throws<ArgumentException>(() => DualDomainConfig.FromJson(json));
        Assert.Contains("imageSizePx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_json_without_a_geometry_number_is_rejected_naming_it()
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(CascadeTestData.TinyConfig().ToJson())!;
        node["geometry"]!.AsObject().Remove("channelSpacingMm");

        var error = Assert.Throws<ArgumentException>(() => DualDomainConfig.FromJson(node.ToJsonString()));
        Assert.Contains("channelSpacingMm", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rowPattern", "row pattern")]
    [InlineData("levels", "levels")]
    [InlineData("cutoff", "cutoff")]
    [InlineData("neighbours", "neighbour slice spacing")]
    [InlineData("distance", "Source-to-detector")]
    public void Config_validation_names_the_bad_value(string what, string expectedText)
    {
        var good = CascadeTestData.TinyConfig();
        var bad = what switch
        {
            "rowPattern" => good with { RowPattern = "4x4g4" }, // spans 28 rows on a 16-row detector
            "levels" => good with { ImageSize = 3, ImageCnn = new ImageDomainCnnOptions(8, 3) },
            "cutoff" => good with { FbpCutoff = 1.5 },
            "neighbours" => good with { ProjectionCnn = good.ProjectionCnn with { NeighbourSlicesPerSide = 1 } },
            _ => good with { Geometry = good.Geometry with { SourceToDetectorMm = 500 } },
        };

        var error = Assert.Throws<ArgumentException>(bad.Validate);
        Assert.Contains(expectedText, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Preset_config_rebuilds_the_presets_full_rotation_fan_beam_geometry()
    {
        var preset = GeometryPresets.Get("small-sparse");

        var config = DualDomainConfig.ForPreset("small-sparse");

        Assert.Equal(FanBeamGeometry.FullRotation(preset.Geometry, 0.0), config.Geometry.ToFanBeamGeometry());
        Assert.Equal(preset.RowPattern.ActiveRows, config.ParseRowPattern().ActiveRows);
        Assert.Equal(new ImageGrid2D(256, 400.0 / 256), config.Grid);
        Assert.Equal(ReconstructionFilter.SheppLogan, config.FbpWindow);
    }

    [Fact]
    public void Cascade_returns_the_completed_sinogram_the_fbp_image_and_the_refined_image()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var cascade = CascadeTestData.Cascade(CascadeTestData.TinyConfig());

        var (sinogram, fbpImage, refined) = cascade.ForwardAll(rand(2, 2, 64, 48) * 5);

        Assert.Equal([2, 64, 48], sinogram.shape);
        Assert.Equal([2, 1, 32, 32], fbpImage.shape);
        Assert.Equal([2, 1, 32, 32], refined.shape);
        Assert.True(cascade.forward(rand(1, 2, 64, 48)).shape.SequenceEqual(new long[] { 1, 1, 32, 32 }));
    }

    [Fact]
    public void Cascade_rejects_sinograms_of_another_geometry()
    {
        using var scope = NewDisposeScope();
        using var cascade = CascadeTestData.Cascade(CascadeTestData.TinyConfig());

        var error = Assert.Throws<ArgumentException>(() => cascade.forward(rand(1, 2, 60, 48)));
        Assert.Contains("64 views", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cascade_with_both_cnns_bypassed_is_the_analytic_fbp_of_the_rebinned_sinogram()
    {
        using var scope = NewDisposeScope();
        var config = CascadeTestData.TinyConfig(projectionCnn: false, imageCnn: false);
        using var cascade = CascadeTestData.Cascade(config);
        var sinograms = CascadeTestData.TrueSinograms(0.0);
        var input = CascadeTestData.GappedInput(sinograms);

        var image = cascade.forward(input).reshape(-1).data<float>().ToArray();
        var reference = new FanBeamFbp(config.Geometry.ToFanBeamGeometry(), config.Grid, config.FbpWindow)
            .Reconstruct(input[0, 0].reshape(-1).data<float>().ToArray());

        Assert.Equal(0, cascade.TrainableParameterCount);
        double scale = reference.Max(Math.Abs);
        Assert.All(image.Zip(reference), pair => Assert.True(Math.Abs(pair.First - pair.Second) <= 1e-4 * scale));
    }

    [Fact]
    public void Bypassed_stages_pass_their_input_through_and_have_no_parameters()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        using var projectionOnly = CascadeTestData.Cascade(CascadeTestData.TinyConfig(imageCnn: false));
        using var imageOnly = CascadeTestData.Cascade(CascadeTestData.TinyConfig(projectionCnn: false));
        var input = rand(1, 2, 64, 48) * 5;

        var (_, fbpOfCompleted, refinedWithoutImageCnn) = projectionOnly.ForwardAll(input);
        var (sinogramWithoutProjectionCnn, _, _) = imageOnly.ForwardAll(input);

        Assert.Null(projectionOnly.ImageCnn);
        Assert.Null(imageOnly.ProjectionCnn);
        Assert.True(CascadeTestData.Identical(refinedWithoutImageCnn, fbpOfCompleted));
        Assert.True(CascadeTestData.Identical(sinogramWithoutProjectionCnn, input.select(1, 0)));
        Assert.All(projectionOnly.named_parameters(), p => Assert.StartsWith("projection.", p.name, StringComparison.Ordinal));
        Assert.All(imageOnly.named_parameters(), p => Assert.StartsWith("image.", p.name, StringComparison.Ordinal));
    }

    [Fact]
    public void Cascade_moves_every_stage_to_the_device_the_runtime_selects()
    {
        using var scope = NewDisposeScope();
        var device = TorchRuntime.ResolveDevice("auto"); // CUDA where libtorch has it, else CPU
        manual_seed(16);
        using var cascade = CascadeTestData.Cascade(CascadeTestData.TinyConfig());
        var input = CascadeTestData.GappedInput(CascadeTestData.TrueSinograms(0.0));
        var onCpu = cascade.forward(input);

        cascade.to(device);
        var onDevice = cascade.forward(input.to(device));

        Assert.Equal(device.type, onDevice.device_type);
        Assert.All(cascade.parameters(), p => Assert.Equal(device.type, p.device_type));
        Assert.True(onDevice.cpu().allclose(onCpu, rtol: 1e-4, atol: 1e-6));
    }

    [Fact]
    public void Image_loss_gradients_reach_the_projection_cnn_first_layer_through_the_fbp()
    {
        using var scope = NewDisposeScope();
        manual_seed(13);
        using var cascade = CascadeTestData.Cascade(CascadeTestData.TinyConfig());
        var input = CascadeTestData.GappedInput(CascadeTestData.TrueSinograms(0.0));
        var truth = CascadeTestData.TrueImages(0.0);

        var loss = nn.functional.mse_loss(cascade.forward(input), truth);
        loss.backward();

        var firstLayer = cascade.ProjectionCnn!.named_parameters().First(p => p.name == "layers.0.conv.weight").parameter;
        var grad = firstLayer.grad;
        Assert.NotNull(grad);
        Assert.True(grad.isfinite().all().item<bool>());
        Assert.True(grad.abs().max().item<float>() > 0, "no gradient reached the projection CNN's first layer");
        // The only path from the projection CNN to the image loss is the FBP: its operator must carry the gradient.
        Assert.Empty(cascade.Fbp.parameters());
    }

    [Fact]
    public void Tiny_cascade_overfits_three_slices_within_100_adam_steps()
    {
        using var scope = NewDisposeScope();
        var config = CascadeTestData.TinyConfig() with { ImageCnn = new ImageDomainCnnOptions(BaseFeatures: 16, Levels: 2) };
        double muWater = config.MuWaterPerMm;
        var sinograms = CascadeTestData.TrueSinograms(Slices);
        var input = CascadeTestData.GappedInput(sinograms);
        var truth = CascadeTestData.TrueImages(Slices) / muWater;
        using var analytic = CascadeTestData.Cascade(config with { ProjectionCnnEnabled = false, ImageCnnEnabled = false });
        var completeData = stack([sinograms, ones_like(sinograms)], 1);
        float fbpOfCompleteData = nn.functional.mse_loss(analytic.forward(completeData) / muWater, truth).item<float>();
        manual_seed(14);
        using var cascade = CascadeTestData.Cascade(config);
        var optimizer = optim.Adam(cascade.parameters(), lr: 5e-3);

        using var singleThread = new CascadeSingleThread();
        var clock = Stopwatch.StartNew();
        var losses = new List<float>();
        for (int step = 0; step < 100; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(cascade.forward(input) / muWater, truth);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }
        clock.Stop();

        output.WriteLine($"loss (μ/μw)² {losses[0]:G4} -> {losses[^1]:G4} (x{losses[0] / losses[^1]:F1}) in {clock.Elapsed.TotalSeconds:F1} s; FBP of complete data {fbpOfCompleteData:G4}");
        Assert.True(losses[^1] * 5 <= losses[0], $"loss fell only from {losses[0]:G4} to {losses[^1]:G4}");
        // Memorised: from gapped data it now beats the plain FBP of the complete sinograms on these slices.
        Assert.True(losses[^1] < fbpOfCompleteData, $"final loss {losses[^1]:G4} vs FBP of complete data {fbpOfCompleteData:G4}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"100 steps took {clock.Elapsed.TotalSeconds:F1} s");
    }
}
