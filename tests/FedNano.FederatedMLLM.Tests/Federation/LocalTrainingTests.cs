using FedNano.FederatedMLLM.Federation;
using FedNano.FederatedMLLM.Generation;
using FedNano.FederatedMLLM.Model;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Text;
using FedNano.FederatedMLLM.Training;
using FedNano.Testing;
using Xunit;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Tests.Federation;

/// <summary>A site's round: split steps on its own pairs, then the Fisher its aggregator needs.</summary>
public sealed class LocalTrainingTests : IDisposable
{
    private readonly TempDirectory _work = new("local-round");
    private readonly TextTokenizer _tokenizer;
    private readonly QaDataset _data;

    public LocalTrainingTests()
    {
        var pairs = new[] { ("Is there a pleural effusion?", "yes"), ("Is there a pleural effusion?", "no"), ("Is there emphysema?", "no"), ("Is there emphysema?", "yes") };
        BpeVocabulary.Train(pairs.SelectMany(p => new[] { PromptTemplate.Format(p.Item1), " " + p.Item2 }), 40, _work.Path);
        _tokenizer = TextTokenizer.Load(_work.Path, TinyModels.ImageToken);
        var samples = pairs.Select((p, i) => new QaSample(i, QuestionType.EffusionPresence, p.Item1, p.Item2, $"case-{i}")).ToList();
        _data = new QaDataset(TinyModels.Images(4, 21), samples);
    }

    public void Dispose() => _work.Dispose();

    // A random LLaMA initialisation (σ = 0.02) gives logits of at most ~±0.6, so no input-space adapter could make the
    // frozen head confident; a trained head is far larger. Scale the tiny model's head to a trained one's size.
    private MultimodalModel Model()
    {
        var model = TinyModels.Model(seed: 4, config: TinyModels.Config(vocab: _tokenizer.VocabularySize));
        using var noGrad = no_grad();
        model.named_parameters().Single(p => p.name.EndsWith("lm_head.weight", StringComparison.Ordinal)).parameter.mul_(50);
        return model;
    }

    [Fact]
    public void A_local_round_lowers_the_sites_loss_and_yields_a_valid_update()
    {
        using var model = Model();
        var edge = new NanoEdge(model, new NanoAdapterOptions { Rank = 4, Alpha = 8 });
        using var server = new SplitBlocks(model.LanguageModel);
        var global = edge.Export();
        var result = LocalTraining.Run("site-a", edge, _tokenizer, _data, server, global, new FedAvg(), new LocalTrainingOptions { Steps = 150, BatchSize = 4, LearningRate = 3e-2 }, seed: 1);

        Assert.True(result.Losses.TakeLast(5).Average() < 0.5 * result.Losses.Take(5).Average(), $"loss {result.Losses.Take(5).Average():F3} → {result.Losses.TakeLast(5).Average():F3}");
        Assert.Equal(4, result.Update.SampleCount);
        Assert.Null(result.Update.Fisher);
        var verdict = new UpdateValidator(new UpdateValidationOptions()).Check(global, result.Update, needsFisher: false);
        Assert.True(verdict.Accepted, verdict.Reason);
        Assert.True(verdict.UpdateNorm > 0);
        Assert.Equal(0, server.PendingSteps);
    }

    [Fact]
    public void The_Fisher_is_the_mean_squared_per_example_gradient()
    {
        using var model = Model();
        var edge = new NanoEdge(model, new NanoAdapterOptions { Rank = 2, Alpha = 2 });
        using (no_grad()) foreach (var p in edge.Parameters) p.normal_(0, 0.1);
        using var server = new SplitBlocks(model.LanguageModel);
        var options = new LocalTrainingOptions { FisherSamples = 4 };
        var fisher = LocalTraining.EstimateFisher(edge, _tokenizer, _data, server, options, ScalarType.Float32, new Random(1)).Flatten();

        // By hand: each example through the whole model in one process, squared gradients averaged.
        var expected = new double[fisher.Length];
        foreach (var sample in _data.Samples)
        {
            foreach (var p in edge.Parameters) p.grad?.zero_();
            var (ids, labels) = SequenceBatch.Build(_tokenizer, [sample], model.Config.ImageTokenCount, 160);
            MultimodalModel.CausalLoss(model.Forward(ids, _data.Images[sample.Image].unsqueeze(0)), labels).backward();
            var g = edge.Parameters.SelectMany(p => p.grad!.data<float>().ToArray()).ToArray();
            for (int i = 0; i < g.Length; i++) expected[i] += g[i] * (double)g[i] / 4;
        }
        double scale = expected.Max();
        Assert.True(scale > 0);
        for (int i = 0; i < fisher.Length; i++) Assert.True(Math.Abs(fisher[i] - expected[i]) <= 1e-4 * scale, $"[{i}] {fisher[i]} vs {expected[i]}");
    }

    [Fact]
    public void A_Fisher_aggregator_gets_a_Fisher_estimate_with_the_update()
    {
        using var model = Model();
        var edge = new NanoEdge(model, new NanoAdapterOptions { Rank = 2, Alpha = 2 });
        using var server = new SplitBlocks(model.LanguageModel);
        var result = LocalTraining.Run("site-b", edge, _tokenizer, _data, server, edge.Export(), new FisherMerge(), new LocalTrainingOptions { Steps = 3, BatchSize = 2, FisherSamples = 2 }, seed: 2);
        Assert.NotNull(result.Update.Fisher);
        Assert.True(result.Update.Fisher!.SameLayout(result.Update.Adapters));
        Assert.All(result.Update.Fisher.Flatten(), v => Assert.True(v >= 0 && float.IsFinite(v)));
    }
}
