using FedNano.FederatedMLLM.Checkpoints;
using FedNano.FederatedMLLM.Model;
using FedNano.Testing;
using Xunit;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Tests;

/// <summary>The convolutional patch stem: counted from the config, saved and loaded by name, refused where it cannot tile.</summary>
public sealed class ConvStemTests : IDisposable
{
    private readonly TempDirectory _work = new("mllm-stem");

    public void Dispose() => _work.Dispose();

    private static MultimodalConfig StemConfig()
    {
        var config = TinyModels.Config();
        config.VisionConfig.PatchEmbeddingType = "conv_stem";
        return config;
    }

    [Fact]
    public void The_stem_halves_the_side_per_layer_doubling_channels_up_to_the_token_width()
    {
        var config = StemConfig().VisionConfig; // patch 8 → 3 stride-2 layers, width 32
        Assert.Equal([8, 16, 32], config.StemChannels);
    }

    [Fact]
    public void Counting_a_conv_stem_config_matches_the_allocated_vision_tower()
    {
        using var model = TinyModels.Model(config: StemConfig());
        long allocated = model.VisionTower.parameters().Sum(p => p.numel());
        Assert.Equal(allocated, model.Config.VisionConfig.ParameterCount());
    }

    [Fact]
    public void A_conv_stem_model_saves_and_loads_bit_for_bit_with_its_embedding_type()
    {
        using var model = TinyModels.Model(config: StemConfig());
        var dir = _work.Combine("stem");
        ModelCheckpoint.Save(model, dir);
        var (loaded, report) = ModelCheckpoint.Load(dir);
        using (loaded)
        {
            Assert.Equal("conv_stem", loaded.Config.VisionConfig.PatchEmbeddingType);
            Assert.Empty(report.Missing);
            Assert.Empty(report.Unused);
            using var noGrad = no_grad();
            var prompt = TinyModels.Prompt(model.Config);
            Assert.True(TinyModels.BitEqual(model.Forward(prompt, TinyModels.Images()), loaded.Forward(prompt, TinyModels.Images())));
        }
    }

    [Fact]
    public void A_patchify_checkpoint_does_not_load_into_a_conv_stem_model_silently()
    {
        using var model = TinyModels.Model();
        var dir = _work.Combine("patchify");
        ModelCheckpoint.Save(model, dir);
        var config = Path.Combine(dir, "config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"patchify\"", "\"conv_stem\"", StringComparison.Ordinal));
        var error = Assert.ThrowsAny<Exception>(() => ModelCheckpoint.Load(dir).Model.Dispose());
        Assert.Contains("stem", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("conv_stem", 6, "power-of-two")]
    [InlineData("hexagons", 8, "patch_embedding_type 'hexagons'")]
    public void A_stem_that_cannot_tile_or_an_unknown_embedding_is_refused(string type, int patch, string reason)
    {
        var config = new VisionConfig { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 4, ImageSize = 48, PatchSize = patch, PatchEmbeddingType = type };
        var error = Assert.Throws<ArgumentException>(config.Validate);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
