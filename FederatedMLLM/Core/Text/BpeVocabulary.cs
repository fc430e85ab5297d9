using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FedNano.FederatedMLLM.Text;

/// <summary>
/// Learns a byte-level byte-pair-encoding vocabulary (Sennrich et al. 2016, in GPT-2's byte-level form) from a corpus
/// and writes it as <c>vocab.json</c> + <c>merges.txt</c> + <c>special_tokens.json</c>, the layout
/// <see cref="TextTokenizer"/> reads through Microsoft.ML.Tokenizers. Text is split by <see cref="PreTokenizerPattern"/>
/// (a word keeps its leading space), each UTF-8 byte is one starting symbol (bytes shown as printable characters,
/// space as 'Ġ'), so any text encodes and decodes exactly. Merges are learned by pair frequency, ties broken by the
/// pair's text, so the same corpus always gives the same files.
/// </summary>
public static partial class BpeVocabulary
{
    /// <summary>Unknown token (kept for tokenizers that need one; byte-level BPE never emits it).</summary>
    public const string Unknown = "<unk>";

    /// <summary>Beginning of sequence.</summary>
    public const string Bos = "<s>";

    /// <summary>End of sequence.</summary>
    public const string Eos = "</s>";

    /// <summary>Padding.</summary>
    public const string Pad = "<pad>";

    /// <summary>GPT-2's pre-tokenizer: contractions, words, numbers and punctuation runs with an optional leading space, then whitespace.</summary>
    public const string PreTokenizerPattern = @"'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>The special tokens and their fixed ids 0…4 (the image placeholder last).</summary>
    public static readonly IReadOnlyList<string> SpecialTokens = [Unknown, Bos, Eos, Pad, TextTokenizer.ImagePlaceholder];

    [GeneratedRegex(PreTokenizerPattern, RegexOptions.CultureInvariant)]
    internal static partial Regex PreTokenizer();

    private static readonly char[] ByteChars = BuildByteChars();

    /// <summary>
    /// Learns up to <paramref name="merges"/> merges from <paramref name="corpus"/> and writes the files into
    /// <paramref name="directory"/>. Returns the vocabulary size (special tokens included).
    /// </summary>
    public static int Train(IEnumerable<string> corpus, int merges, string directory)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentOutOfRangeException.ThrowIfNegative(merges);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in corpus)
            foreach (Match m in PreTokenizer().Matches(text))
                counts[m.Value] = counts.GetValueOrDefault(m.Value) + 1;

        var words = counts.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (Symbols: Encoding.UTF8.GetBytes(p.Key).Select(b => ByteChars[b].ToString()).ToList(), Count: p.Value)).ToList();
        var vocabulary = new List<string>(SpecialTokens);
        var known = new HashSet<string>(vocabulary, StringComparer.Ordinal);
        foreach (var c in ByteChars)
            if (known.Add(c.ToString())) vocabulary.Add(c.ToString());

        var learned = new List<(string Left, string Right)>();
        for (int step = 0; step < merges; step++)
        {
            var pairs = new Dictionary<(string, string), long>();
            foreach (var (symbols, count) in words)
                for (int i = 0; i + 1 < symbols.Count; i++)
                    pairs[(symbols[i], symbols[i + 1])] = pairs.GetValueOrDefault((symbols[i], symbols[i + 1])) + count;
            if (pairs.Count == 0) break;
            var best = pairs.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Item1, StringComparer.Ordinal).ThenBy(p => p.Key.Item2, StringComparer.Ordinal).First();
            if (best.Value < 2) break; // a pair seen once teaches nothing general
            var (left, right) = best.Key;
            learned.Add((left, right));
            var merged = left + right;
            if (known.Add(merged)) vocabulary.Add(merged);
            foreach (var (symbols, _) in words)
            {
                for (int i = 0; i + 1 < symbols.Count; i++)
                {
                    if (symbols[i] != left || symbols[i + 1] != right) continue;
                    symbols[i] = merged;
                    symbols.RemoveAt(i + 1);
                }
            }
        }

        Directory.CreateDirectory(directory);
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < vocabulary.Count; i++) vocab[vocabulary[i]] = i;
        var specials = vocab.Where(p => SpecialTokens.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var json = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        File.WriteAllText(Path.Combine(directory, TextTokenizer.VocabFile), JsonSerializer.Serialize(vocab, json));
        File.WriteAllText(Path.Combine(directory, TextTokenizer.SpecialTokensFile), JsonSerializer.Serialize(specials, json));
        var lines = new StringBuilder("#version: 0.2\n");
        foreach (var (l, r) in learned) lines.Append(l).Append(' ').Append(r).Append('\n');
        File.WriteAllText(Path.Combine(directory, TextTokenizer.MergesFile), lines.ToString());
        return vocabulary.Count;
    }

    /// <summary>
    /// GPT-2's byte → character table: printable Latin-1 bytes stand for themselves, the others (space, control
    /// characters, …) for the characters from U+0100 on, in byte order.
    /// </summary>
    private static char[] BuildByteChars()
    {
        var table = new char[256];
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? (char)b : (char)(256 + next++);
        }
        return table;
    }
}
