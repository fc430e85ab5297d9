using FedNano.FederatedMLLM.Model;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Tests;

/// <summary>The LLaVA-style model: shapes, gradients, the split into site and server parts, grouped-query attention and the KV cache.</summary>
public sealed class MultimodalModelTests
{
    [Fact]
    public void A_tiny_random_model_runs_forward_and_backward_with_gradients_in_every_part_it_uses()
    {
        using var model = TinyModels.Model();
        var ids = TinyModels.Prompt(model.Config);
        var labels = ids.clone();
        labels[.., ..4] = tensor(-100L);

        var logits = model.Forward(ids, TinyModels.Images());
        var loss = MultimodalModel.CausalLoss(logits, labels);
        loss.backward();

        Assert.Equal(new long[] { 1, ids.shape[1], 64 }, logits.shape);
        Assert.True(loss.item<float>() is > 0 and < 20);
        var withoutGradient = model.named_parameters()
            .Where(p => p.parameter.grad is null || p.parameter.grad.abs().sum().item<float>() == 0)
            .Select(p => p.name).ToList();
        // vision_feature_layer -2 of 2 blocks: the last vision block and the post-norm do not feed the connector.
        Assert.All(withoutGradient, n => Assert.True(n.StartsWith("vision_tower.vision_model.encoder.layers.1.", StringComparison.Ordinal)
            || n.StartsWith("vision_tower.vision_model.post_layernorm", StringComparison.Ordinal), n));
        Assert.Contains(model.named_parameters(), p => p.name == "language_model.model.layers.1.self_attn.k_proj.weight" && p.parameter.shape.SequenceEqual(new long[] { 16, 32 }));
    }

    [Fact]
    public void The_site_and_server_parts_compose_to_the_whole_model()
    {
        using var model = TinyModels.Model();
        using var noGrad = no_grad();
        var ids = TinyModels.Prompt(model.Config);
        var images = TinyModels.Images();

        var whole = model.Forward(ids, images);
        var imageTokens = model.EncodeImages(images);                        // site
        var embeds = model.EmbedPrompt(ids, imageTokens);                    // site
        var hidden = model.LanguageModel.RunBlocks(embeds);                  // server
        var split = model.LanguageModel.Head(hidden);                        // site

        Assert.Equal(new long[] { 1, 16, 32 }, imageTokens.shape);
        Assert.True(TinyModels.BitEqual(whole, split));
    }

    [Fact]
    public void Decoding_token_by_token_with_the_KV_cache_gives_the_logits_of_a_full_pass()
    {
        using var model = TinyModels.Model();
        using var noGrad = no_grad();
        var ids = TinyModels.Prompt(model.Config);
        var images = TinyModels.Images();
        var full = model.Forward(ids, images);

        using var cache = new KvCache(model.Config.TextConfig.NumHiddenLayers);
        long split = ids.shape[1] - 3;
        var first = model.Forward(ids[.., ..(int)split], images, cache);
        var steps = new List<Tensor> { first };
        for (long t = split; t < ids.shape[1]; t++)
            steps.Add(model.LanguageModel.Forward(model.EmbedPrompt(ids[.., (int)t..(int)(t + 1)], null), cache));
        var incremental = cat(steps, 1);

        Assert.Equal(ids.shape[1], cache.Length);
        Assert.True(full.allclose(incremental, rtol: 1e-4, atol: 1e-5), $"max |Δ| {(full - incremental).abs().max().item<float>()}");
    }

    [Fact]
    public void Grouped_query_attention_with_one_kv_head_per_query_head_is_multi_head_attention()
    {
        // Same weights, kv heads = heads vs kv heads = heads / 2 with each kv head duplicated: identical outputs.
        var mha = TinyModels.Config();
        mha.TextConfig.NumKeyValueHeads = 4;
        using var full = TinyModels.Model(config: mha);
        using var grouped = TinyModels.Model(seed: 9);
        using var noGrad = no_grad();
        var fullParams = full.state_dict();
        foreach (var (name, p) in grouped.named_parameters())
        {
            if (name.StartsWith("language_model.", StringComparison.Ordinal) && (name.Contains("k_proj", StringComparison.Ordinal) || name.Contains("v_proj", StringComparison.Ordinal)))
            {
                // kv head h serves query heads 2h and 2h+1: repeat each 8-row head block twice.
                fullParams[name].copy_(p.view(2, 8, 32).repeat_interleave(2, dim: 0).reshape(32, 32));
            }
            else
            {
                fullParams[name].copy_(p);
            }
        }
        var ids = TinyModels.Prompt(mha);
        var images = TinyModels.Images();

        Assert.True(full.Forward(ids, images).allclose(grouped.Forward(ids, images), rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Tied_embeddings_have_no_separate_LM_head()
    {
        using var model = TinyModels.Model(config: TinyModels.Config(tie: true));

        Assert.DoesNotContain(model.named_parameters(), p => p.name.Contains("lm_head", StringComparison.Ordinal));
        Assert.Equal(model.Config.CountParameters().Total, model.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData("default", 16)]
    [InlineData("full", 17)]
    [InlineData("pooled", 2)]
    public void The_feature_strategy_sets_how_many_image_tokens_an_image_becomes(string strategy, int tokens)
    {
        using var model = TinyModels.Model(config: TinyModels.Config(strategy: strategy));
        using var noGrad = no_grad();

        var imageTokens = model.EncodeImages(TinyModels.Images(2));

        Assert.Equal(new long[] { 2, tokens, 32 }, imageTokens.shape);
        Assert.Equal(tokens, model.Config.ImageTokenCount);
    }

    [Fact]
    public void A_prompt_whose_placeholders_do_not_match_the_image_tokens_is_refused()
    {
        using var model = TinyModels.Model();
        var ids = TinyModels.Prompt(model.Config)[.., ..^8];

        var e = Assert.Throws<ArgumentException>(() => model.Forward(ids, TinyModels.Images()));

        Assert.Contains("image placeholder tokens but 16 image tokens", e.Message);
    }

    [Fact]
    public void Images_of_the_wrong_size_are_refused_with_the_expected_shape()
    {
        using var model = TinyModels.Model();

        var e = Assert.Throws<ArgumentException>(() => model.EncodeImages(rand(1, 1, 64, 64)));

        Assert.Contains("[batch, 1, 32, 32]", e.Message);
    }

    [Fact]
    public void The_parameter_count_from_the_config_equals_the_allocated_parameters()
    {
        using var model = TinyModels.Model();
        var counts = model.Config.CountParameters();

        Assert.Equal(counts.Total, model.parameters().Sum(p => p.numel()));
        Assert.Equal(counts.VisionEncoder, model.VisionTower.parameters().Sum(p => p.numel()));
        Assert.Equal(counts.ServerSide, model.LanguageModel.Body.Layers.Sum(l => l.parameters().Sum(p => p.numel())));
    }
}
