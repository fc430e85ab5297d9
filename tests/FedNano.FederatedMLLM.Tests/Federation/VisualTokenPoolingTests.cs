using FedNano.FederatedMLLM.Federation;
using Xunit;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Tests.Federation;

/// <summary>Visual-token pooling averages neighbouring image tokens, so split training sends fewer of them.</summary>
public sealed class VisualTokenPoolingTests
{
    [Fact]
    public void Pooling_two_averages_each_two_by_two_block_of_the_patch_grid()
    {
        using var model = TinyModels.Model(seed: 1);
        var images = TinyModels.Images(2, 5);
        using var noGrad = no_grad();
        var full = model.EncodeImages(images); // [2, 16, 32]: a 4×4 grid
        model.ImageTokenPooling = 2;
        var pooled = model.EncodeImages(images);
        Assert.Equal([2L, 4, 32], pooled.shape);
        Assert.Equal(4, model.ImageTokenCount);
        // Pooled token 1 (top row, right) is the mean of grid tokens (0,2), (0,3), (1,2), (1,3) = 2, 3, 6, 7.
        var expected = full[.., TensorIndex.Tensor(tensor(new long[] { 2, 3, 6, 7 }))].mean([1L]);
        Assert.True(pooled[.., 1].allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void A_pooling_that_does_not_divide_the_patch_grid_is_refused()
    {
        using var model = TinyModels.Model(seed: 1);
        var e = Assert.Throws<ArgumentException>(() => model.ImageTokenPooling = 3);
        Assert.Contains("divisor of 4", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => model.ImageTokenPooling = 0);
    }

    [Fact]
    public void Pooling_needs_the_patch_tokens_alone()
    {
        using var model = TinyModels.Model(seed: 1, TinyModels.Config(strategy: "full"));
        Assert.Throws<ArgumentException>(() => model.ImageTokenPooling = 2);
    }

    private sealed class Recording(ISplitServer inner) : ISplitServer
    {
        public List<long> Tokens { get; } = [];
        public (long StepId, Tensor Hidden) Forward(Tensor inputsEmbeds) { Tokens.Add(inputsEmbeds.shape[1]); return inner.Forward(inputsEmbeds); }
        public Tensor Backward(long stepId, Tensor gradHidden) => inner.Backward(stepId, gradHidden);
    }

    [Fact]
    public void A_site_training_with_pooling_sends_the_server_sequences_shorter_by_the_pooled_away_tokens()
    {
        using var model = TinyModels.Model(seed: 1);
        var edge = new NanoEdge(model, new NanoAdapterOptions { Rank = 2, Alpha = 2, ImageTokenPooling = 2 });
        using var blocks = new SplitBlocks(model.LanguageModel);
        var server = new Recording(blocks);
        var ids = TinyModels.Prompt(model.Config, 3); // 16 placeholders for the unpooled model
        // The same prompt with 4 placeholders: BOS, 3 words, 4 image tokens, 5 words.
        var text = ids[ids.eq(model.Config.ImageTokenIndex).logical_not()].reshape(1, -1);
        var pooledIds = cat([text[.., ..4], full(1, 4, model.Config.ImageTokenIndex, ScalarType.Int64), text[.., 4..]], 1);
        var labels = pooledIds.clone().masked_fill_(pooledIds.eq(model.Config.ImageTokenIndex), -100);
        double loss = edge.Backpropagate(pooledIds, TinyModels.Images(1, 9), labels, server);
        Assert.True(double.IsFinite(loss));
        Assert.Equal([pooledIds.shape[1]], server.Tokens);
        Assert.Equal(ids.shape[1] - 12, server.Tokens[0]);
    }
}
