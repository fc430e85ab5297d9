using FedNano.FederatedMLLM.Text;
using FedNano.Testing;

namespace FedNano.FederatedMLLM.Tests;

/// <summary>The built-in BPE vocabulary, learned here and read back through Microsoft.ML.Tokenizers.</summary>
public sealed class TokenizerTests : IDisposable
{
    private static readonly string[] Corpus =
    [
        "FINDINGS: A 6 mm solid nodule in the right upper lobe. IMPRESSION: Single pulmonary nodule.",
        "FINDINGS: Two nodules in the left lower lobe, the largest 9 mm. Small left pleural effusion.",
        "FINDINGS: Centrilobular emphysema in both upper lobes. No nodules. IMPRESSION: Emphysema.",
        "FINDINGS: The lungs are clear. No pleural effusion. IMPRESSION: Normal chest CT.",
    ];

    private readonly TempDirectory _work = new("bpe");

    public void Dispose() => _work.Dispose();

    private TextTokenizer Trained(int merges = 200)
    {
        BpeVocabulary.Train(Corpus, merges, _work.Path);
        return TextTokenizer.Load(_work.Path, imageTokenId: 4);
    }

    [Fact]
    public void Text_round_trips_through_the_learned_vocabulary()
    {
        var tokenizer = Trained();

        foreach (var text in Corpus)
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void Merges_make_frequent_words_single_tokens()
    {
        var tokenizer = Trained();

        Assert.Single(tokenizer.Encode(" nodule")); // a word token carries its leading space
        Assert.True(tokenizer.Encode(Corpus[0]).Count < Corpus[0].Length / 2, $"{tokenizer.Encode(Corpus[0]).Count} tokens");
    }

    [Fact]
    public void A_word_never_seen_is_spelled_from_known_characters()
    {
        var tokenizer = Trained();

        var ids = tokenizer.Encode("unseen lobes");

        Assert.Equal("unseen lobes", tokenizer.Decode(ids));
    }

    [Fact]
    public void The_image_placeholder_is_one_special_token_with_the_configured_id()
    {
        var tokenizer = Trained();

        var ids = tokenizer.Encode("USER: <image>\nIs there a nodule? ASSISTANT:");

        Assert.Single(ids, 4);
        Assert.Equal(1, tokenizer.BosId);
        Assert.Equal(2, tokenizer.EosId);
        Assert.DoesNotContain("<image>", tokenizer.Decode(ids));
    }

    [Fact]
    public void The_same_corpus_always_gives_the_same_files()
    {
        Trained();
        var first = File.ReadAllText(_work.Combine(TextTokenizer.MergesFile)) + File.ReadAllText(_work.Combine(TextTokenizer.VocabFile));
        BpeVocabulary.Train(Corpus, 200, _work.Path);

        Assert.Equal(first, File.ReadAllText(_work.Combine(TextTokenizer.MergesFile)) + File.ReadAllText(_work.Combine(TextTokenizer.VocabFile)));
    }

    [Fact]
    public void A_directory_without_tokenizer_files_is_refused_naming_what_is_expected()
    {
        var e = Assert.Throws<FileNotFoundException>(() => TextTokenizer.Load(_work.Path, 4));

        Assert.Contains("tokenizer.model", e.Message);
        Assert.Contains("vocab.json", e.Message);
    }
}
