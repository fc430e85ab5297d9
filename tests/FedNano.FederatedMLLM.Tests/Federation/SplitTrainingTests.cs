using FedNano.FederatedMLLM.Federation;
using FedNano.FederatedMLLM.Model;
using Xunit;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Tests.Federation;

/// <summary>U-shaped split training computes what training the whole model in one process computes.</summary>
public sealed class SplitTrainingTests
{
    private static (Tensor Ids, Tensor Images, Tensor Labels) Batch(MultimodalConfig config)
    {
        var ids = cat([TinyModels.Prompt(config, 3), TinyModels.Prompt(config, 4)], 0);
        var labels = ids.clone();
        labels.masked_fill_(ids.eq(config.ImageTokenIndex), -100);
        return (ids, TinyModels.Images(2, 9), labels);
    }

    // Adapters with non-zero B so that both A and B get gradients.
    private static NanoEdge Edge(MultimodalModel model)
    {
        manual_seed(11);
        var edge = new NanoEdge(model, new NanoAdapterOptions { Rank = 4, Alpha = 8 });
        using var noGrad = no_grad();
        foreach (var p in edge.Parameters) p.normal_(0, 0.1);
        return edge;
    }

    private static Dictionary<string, float[]> Gradients(NanoEdge edge) =>
        edge.Adapters.SelectMany(a => a.Adapter.named_parameters().Select(p => ($"{a.Slot}.{p.name}", p.parameter.grad!.data<float>().ToArray()))).ToDictionary(x => x.Item1, x => x.Item2);

    // One model for both paths, so nothing depends on the global random stream other tests share.
    [Fact]
    public void Split_training_gives_the_gradients_of_training_the_whole_model_in_one_process()
    {
        using var model = TinyModels.Model(seed: 1);
        var (ids, images, labels) = Batch(model.Config);
        var edge = Edge(model);

        var loss = MultimodalModel.CausalLoss(model.Forward(ids, images), labels);
        loss.backward();
        var expected = Gradients(edge);
        foreach (var p in edge.Parameters) p.grad!.zero_();
        using var server = new SplitBlocks(model.LanguageModel);
        double splitLoss = edge.Backpropagate(ids, images, labels, server);
        var actual = Gradients(edge);

        Assert.Equal(loss.item<float>(), splitLoss, 5);
        Assert.Equal(["image.down.weight", "image.up.weight", "text.down.weight", "text.up.weight"], actual.Keys.Order());
        foreach (var (name, g) in expected)
        {
            double scale = g.Max(Math.Abs);
            Assert.True(scale > 0, $"{name} has no gradient");
            for (int i = 0; i < g.Length; i++) Assert.True(Math.Abs(g[i] - actual[name][i]) <= 1e-5 * scale + 1e-7, $"{name}[{i}]: {g[i]} vs {actual[name][i]}");
        }
        Assert.Equal(0, server.PendingSteps);
    }

    [Fact]
    public void The_server_keeps_no_gradient_for_its_frozen_blocks_and_the_site_none_for_its_frozen_parts()
    {
        using var model = TinyModels.Model(seed: 2);
        var (ids, images, labels) = Batch(model.Config);
        var edge = Edge(model);
        using var server = new SplitBlocks(model.LanguageModel);
        edge.Backpropagate(ids, images, labels, server);
        var trainable = edge.Parameters.Select(p => p.Handle).ToHashSet();
        foreach (var (name, p) in model.named_parameters())
            if (!trainable.Contains(p.Handle)) Assert.True(p.grad is null, $"{name} got a gradient");
    }

    [Fact]
    public void Half_precision_activations_give_nearly_the_same_gradients()
    {
        using var model = TinyModels.Model(seed: 1);
        var (ids, images, labels) = Batch(model.Config);
        var edge = Edge(model);
        using var server = new SplitBlocks(model.LanguageModel);
        edge.Backpropagate(ids, images, labels, server);
        var g32 = Gradients(edge).Values.SelectMany(v => v).ToArray();
        foreach (var p in edge.Parameters) p.grad!.zero_();
        edge.Backpropagate(ids, images, labels, server, activationType: ScalarType.Float16);
        var g16 = Gradients(edge).Values.SelectMany(v => v).ToArray();
        double diff = Math.Sqrt(g32.Zip(g16).Sum(p => (p.First - p.Second) * (double)(p.First - p.Second)));
        double norm = Math.Sqrt(g32.Sum(v => (double)v * v));
        Assert.InRange(diff / norm, 1e-9, 1e-2); // different (it is rounded), but by less than 1 %
    }

    [Fact]
    public void The_FedProx_term_pulls_the_adapters_toward_the_global_ones()
    {
        using var model = TinyModels.Model(seed: 3);
        var (ids, images, labels) = Batch(model.Config);
        var edge = Edge(model);
        var global = edge.Export();
        using var server = new SplitBlocks(model.LanguageModel);
        // At θ = θ_global the proximal term adds nothing; 0.5 away along every parameter it adds μ·0.5 to each gradient.
        double plain = edge.Backpropagate(ids, images, labels, server);
        var g0 = Gradients(edge);
        foreach (var p in edge.Parameters) p.grad!.zero_();
        var shifted = global.With(global.Tensors.Select(t => t.Values.Select(v => v - 0.5f).ToArray()).ToArray());
        double prox = edge.Backpropagate(ids, images, labels, server, proximalMu: 2, global: shifted);
        var g1 = Gradients(edge);
        long n = global.ParameterCount;
        Assert.Equal(plain + 0.5 * 2 * 0.25 * n, prox, 3);
        foreach (var (name, g) in g0)
            for (int i = 0; i < g.Length; i++) Assert.Equal(g[i] + 2 * 0.5, g1[name][i], 4);
    }

    [Fact]
    public void A_backward_for_an_unknown_step_is_refused()
    {
        using var model = TinyModels.Model();
        using var server = new SplitBlocks(model.LanguageModel);
        Assert.Throws<KeyNotFoundException>(() => server.Backward(42, zeros(1, 2, 32)));
    }
}
