using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace FedNano.FederatedMLLM.Text;

/// <summary>
/// Text ↔ token ids for the decoder, on Microsoft.ML.Tokenizers: a checkpoint's SentencePiece model
/// (<c>tokenizer.model</c>, LLaMA/LLaVA) or BPE files (<c>vocab.json</c> + <c>merges.txt</c>). The image placeholder
/// <c>&lt;image&gt;</c> is a special token with the id the model config names.
/// </summary>
public sealed class TextTokenizer
{
    /// <summary>The placeholder text that marks where image tokens go in a prompt.</summary>
    public const string ImagePlaceholder = "<image>";

    /// <summary>SentencePiece model file name.</summary>
    public const string SentencePieceFile = "tokenizer.model";

    /// <summary>BPE vocabulary file name.</summary>
    public const string VocabFile = "vocab.json";

    /// <summary>BPE merges file name.</summary>
    public const string MergesFile = "merges.txt";

    /// <summary>Special tokens file of the BPE layout (token → id).</summary>
    public const string SpecialTokensFile = "special_tokens.json";

    private readonly Tokenizer _tokenizer;

    private TextTokenizer(Tokenizer tokenizer, int? bos, int? eos, int? pad, int imageTokenId, int vocabularySize)
    {
        _tokenizer = tokenizer;
        BosId = bos;
        EosId = eos;
        PadId = pad;
        ImageTokenId = imageTokenId;
        VocabularySize = vocabularySize;
    }

    /// <summary>Beginning-of-sequence id, when the tokenizer has one.</summary>
    public int? BosId { get; }

    /// <summary>End-of-sequence id.</summary>
    public int? EosId { get; }

    /// <summary>Padding id (falls back to EOS).</summary>
    public int? PadId { get; }

    /// <summary>Id of <see cref="ImagePlaceholder"/>.</summary>
    public int ImageTokenId { get; }

    /// <summary>Ids in use (largest id + 1).</summary>
    public int VocabularySize { get; }

    /// <summary>
    /// Loads the tokenizer files in <paramref name="directory"/>: <c>tokenizer.model</c> (SentencePiece) when present,
    /// else <c>vocab.json</c> + <c>merges.txt</c> (+ <c>special_tokens.json</c>).
    /// </summary>
    /// <param name="directory">The checkpoint or tokenizer directory.</param>
    /// <param name="imageTokenId">The image placeholder id from the model config.</param>
    /// <exception cref="FileNotFoundException">Neither layout is there.</exception>
    public static TextTokenizer Load(string directory, int imageTokenId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var sentencePiece = Path.Combine(directory, SentencePieceFile);
        if (File.Exists(sentencePiece))
        {
            using var stream = File.OpenRead(sentencePiece);
            var special = new Dictionary<string, int> { [ImagePlaceholder] = imageTokenId };
            var llama = LlamaTokenizer.Create(stream, addBeginOfSentence: false, addEndOfSentence: false, specialTokens: special);
            return new TextTokenizer(llama, llama.BeginningOfSentenceId, llama.EndOfSentenceId, null, imageTokenId, Math.Max(llama.Vocabulary.Count, imageTokenId + 1));
        }
        string vocab = Path.Combine(directory, VocabFile), merges = Path.Combine(directory, MergesFile), specials = Path.Combine(directory, SpecialTokensFile);
        if (!File.Exists(vocab) || !File.Exists(merges))
            throw new FileNotFoundException($"{directory} has no tokenizer: expected {SentencePieceFile}, or {VocabFile} and {MergesFile}.");
        var specialTokens = File.Exists(specials)
            ? JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(specials)) ?? []
            : new Dictionary<string, int>();
        specialTokens[ImagePlaceholder] = imageTokenId;
        var bpe = BpeTokenizer.Create(new BpeOptions(vocab, merges)
        {
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(BpeVocabulary.PreTokenizer(), specialTokens),
            SpecialTokens = specialTokens,
        });
        int? Id(string token) => specialTokens.TryGetValue(token, out var id) ? id : null;
        int size = Math.Max(bpe.Vocabulary.Values.DefaultIfEmpty(0).Max(), specialTokens.Values.DefaultIfEmpty(0).Max()) + 1;
        return new TextTokenizer(bpe, Id(BpeVocabulary.Bos), Id(BpeVocabulary.Eos), Id(BpeVocabulary.Pad), imageTokenId, size);
    }

    /// <summary>Ids of <paramref name="text"/> (no BOS/EOS added; <c>&lt;image&gt;</c> becomes one placeholder id).</summary>
    public IReadOnlyList<int> Encode(string text) => _tokenizer.EncodeToIds(text);

    /// <summary>Text of <paramref name="ids"/>; special tokens (BOS, EOS, padding, image) are left out.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var kept = ids.Where(i => i != BosId && i != EosId && i != PadId && i != ImageTokenId);
        return _tokenizer.Decode(kept) ?? "";
    }
}
