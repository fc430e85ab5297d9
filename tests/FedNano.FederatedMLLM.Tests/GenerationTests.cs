using FedNano.FederatedMLLM.Generation;
using FedNano.FederatedMLLM.Model;
using FedNano.FederatedMLLM.Text;
using FedNano.Testing;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Tests;

/// <summary>Generation (greedy, top-p, stop sequences) and a tiny model that learns to answer about images.</summary>
public sealed class GenerationTests : IDisposable
{
    private static readonly string[] Answers =
    [
        "Two nodules in the right upper lobe.",
        "No acute findings.",
        "Small left pleural effusion.",
        "Emphysema in both upper lobes.",
    ];

    private const string Question = "Describe the findings.";

    private readonly TempDirectory _work = new("mllm-gen");

    public void Dispose() => _work.Dispose();

    private TextTokenizer Tokenizer()
    {
        BpeVocabulary.Train([.. Answers, PromptTemplate.Format(Question)], 120, _work.Path);
        return TextTokenizer.Load(_work.Path, TinyModels.ImageToken);
    }

    private static MultimodalModel ModelFor(TextTokenizer tokenizer, int seed = 1) =>
        TinyModels.Model(seed, TinyModels.Config(vocab: tokenizer.VocabularySize));

    [Fact]
    public void Greedy_generation_is_the_arg_max_of_full_passes_and_repeats_exactly()
    {
        var tokenizer = Tokenizer();
        using var model = ModelFor(tokenizer);
        var prompt = PromptTemplate.Encode(tokenizer, Question, model.Config.ImageTokenCount);
        var images = TinyModels.Images();
        var options = new GenerationOptions { MaxNewTokens = 6 };

        var first = TextGenerator.Generate(model, tokenizer, prompt, images, options);
        var second = TextGenerator.Generate(model, tokenizer, prompt, images, options);
        // The same tokens chosen without a cache, recomputing the whole sequence each step.
        var ids = new List<int>(prompt);
        using (no_grad())
        {
            for (int i = 0; i < first.TokenIds.Count; i++)
            {
                var logits = model.Forward(tensor(ids.Select(x => (long)x).ToArray()).unsqueeze(0), images);
                ids.Add((int)logits[0, -1].argmax().item<long>());
            }
        }

        Assert.Equal(first.TokenIds, second.TokenIds);
        Assert.Equal(ids.Skip(prompt.Count), first.TokenIds);
        Assert.True(first.TokenIds.Count is > 0 and <= 6);
    }

    [Fact]
    public void Sampling_with_the_same_seed_gives_the_same_answer()
    {
        var tokenizer = Tokenizer();
        using var model = ModelFor(tokenizer);
        var prompt = PromptTemplate.Encode(tokenizer, Question, model.Config.ImageTokenCount);
        var images = TinyModels.Images();
        GenerationOptions Options(int seed) => new() { MaxNewTokens = 12, Temperature = 1.5, TopP = 0.95, Seed = seed };

        var a = TextGenerator.Generate(model, tokenizer, prompt, images, Options(11));
        var b = TextGenerator.Generate(model, tokenizer, prompt, images, Options(11));
        var others = Enumerable.Range(12, 5).Select(s => TextGenerator.Generate(model, tokenizer, prompt, images, Options(s)).TokenIds).ToList();

        Assert.Equal(a.TokenIds, b.TokenIds);
        Assert.Contains(others, o => !o.SequenceEqual(a.TokenIds)); // the seed matters: an untrained model is close to uniform
    }

    [Theory]
    [InlineData(0, 0.9, "Temperature")]
    [InlineData(0, 0.0, "TopP")]
    [InlineData(5000, 0.9, "MaxNewTokens")]
    public void Invalid_generation_settings_are_refused(int maxTokens, double topP, string setting)
    {
        var options = new GenerationOptions { MaxNewTokens = maxTokens == 0 ? 8 : maxTokens, TopP = topP, Temperature = setting == "Temperature" ? -1 : 0 };

        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(setting, e.Message);
    }

    [Fact]
    public void A_tiny_model_overfits_a_handful_of_image_report_pairs_and_then_answers_from_the_image()
    {
        var tokenizer = Tokenizer();
        using var model = ModelFor(tokenizer, seed: 3);
        var images = TinyModels.Images(Answers.Length, seed: 21);
        var prompt = PromptTemplate.Encode(tokenizer, Question, model.Config.ImageTokenCount);
        var sequences = Answers.Select(a => prompt.Concat(tokenizer.Encode(" " + a)).Append(tokenizer.EosId!.Value).ToList()).ToList();
        int length = sequences.Max(s => s.Count);
        var ids = new long[Answers.Length, length];
        var labels = new long[Answers.Length, length];
        for (int i = 0; i < Answers.Length; i++)
            for (int t = 0; t < length; t++)
            {
                ids[i, t] = t < sequences[i].Count ? sequences[i][t] : tokenizer.PadId!.Value;
                labels[i, t] = t >= prompt.Count && t < sequences[i].Count ? sequences[i][t] : -100; // loss on the answer only
            }
        var input = tensor(ids);
        var target = tensor(labels);
        using var optimizer = optim.Adam(model.parameters(), lr: 3e-3);

        double initial = 0, final = 0;
        model.train();
        for (int step = 0; step < 150; step++)
        {
            optimizer.zero_grad();
            using var scope = NewDisposeScope();
            var loss = MultimodalModel.CausalLoss(model.Forward(input, images), target);
            loss.backward();
            optimizer.step();
            if (step == 0) initial = loss.item<float>();
            final = loss.item<float>();
        }

        Assert.True(final < initial / 20, $"loss {initial:F3} → {final:F4}");
        for (int i = 0; i < Answers.Length; i++)
        {
            var answer = TextGenerator.Generate(model, tokenizer, prompt, images[i..(i + 1)], new GenerationOptions { MaxNewTokens = 64 });
            Assert.Equal(Answers[i], answer.Text);
            Assert.Equal("eos", answer.StopReason);
        }
    }

    [Fact]
    public void A_stop_sequence_ends_the_answer_before_it()
    {
        var tokenizer = Tokenizer();
        using var model = ModelFor(tokenizer);
        var prompt = PromptTemplate.Encode(tokenizer, Question, model.Config.ImageTokenCount);
        var free = TextGenerator.Generate(model, tokenizer, prompt, TinyModels.Images(), new GenerationOptions { MaxNewTokens = 16 });
        Assert.True(free.Text.Length >= 2, free.Text);
        var stop = free.Text[1..2];

        var stopped = TextGenerator.Generate(model, tokenizer, prompt, TinyModels.Images(), new GenerationOptions { MaxNewTokens = 16, StopSequences = [stop] });

        Assert.Equal("stop-sequence", stopped.StopReason);
        Assert.DoesNotContain(stop, stopped.Text);
        Assert.StartsWith(stopped.Text, free.Text);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void A_banned_token_is_never_picked_even_when_it_is_the_most_likely(double temperature)
    {
        var logits = tensor(new float[] { 0, 0, 0, 0, 50, 1, 0 });
        var options = new GenerationOptions { Temperature = temperature, TopP = 0.3 };

        var picks = Enumerable.Range(0, 20).Select(s => TextGenerator.Pick(logits, options, new Random(s), new HashSet<int> { 4 })).ToList();

        Assert.DoesNotContain(4, picks);
        Assert.All(picks, p => Assert.Equal(5, p)); // the next most likely; top-p 0.3 keeps only it
    }
}
