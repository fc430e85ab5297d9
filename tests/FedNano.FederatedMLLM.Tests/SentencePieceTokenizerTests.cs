using System.Text;
using FedNano.FederatedMLLM.Text;
using FedNano.Testing;

namespace FedNano.FederatedMLLM.Tests;

/// <summary>
/// A LLaMA-style checkpoint's SentencePiece <c>tokenizer.model</c> loads through Microsoft.ML.Tokenizers. The file is
/// a SentencePiece ModelProto written here field by field (protobuf wire format): a BPE model with byte fallback, the
/// way LLaMA's is built, over a small vocabulary.
/// </summary>
public sealed class SentencePieceTokenizerTests : IDisposable
{
    private readonly TempDirectory _work = new("spm");

    public void Dispose() => _work.Dispose();

    // SentencePiece piece types.
    private const int Normal = 1, Unknown = 2, Control = 3, Byte = 6;

    private static byte[] ModelProto()
    {
        var pieces = new List<(string Piece, float Score, int Type)> { ("<unk>", 0, Unknown), ("<s>", 0, Control), ("</s>", 0, Control) };
        for (int b = 0; b < 256; b++) pieces.Add(($"<0x{b:X2}>", 0, Byte));
        // Merged pieces: a higher score merges first (SentencePiece BPE).
        string[] merged = ["▁n", "od", "ul", "ule", "▁nod", "▁nodule", "▁i", "s", "▁is", "▁a", "▁t", "he", "▁the", "▁l", "un", "g", "▁lung", "e", "l", "u", "n", "o", "d", "a", "i", "t", "h", "▁"];
        for (int i = 0; i < merged.Length; i++) pieces.Add((merged[i], -i, Normal));
        var model = new MemoryStream();
        foreach (var (piece, score, type) in pieces)
        {
            var p = new MemoryStream();
            Field(p, 1, Encoding.UTF8.GetBytes(piece));
            Tag(p, 2, 5); p.Write(BitConverter.GetBytes(score));
            Tag(p, 3, 0); Varint(p, (ulong)type);
            Field(model, 1, p.ToArray());
        }
        var trainer = new MemoryStream();
        Tag(trainer, 3, 0); Varint(trainer, 2);   // model_type = BPE
        Tag(trainer, 35, 0); Varint(trainer, 1);  // byte_fallback
        Tag(trainer, 40, 0); Varint(trainer, 0);  // unk_id
        Tag(trainer, 41, 0); Varint(trainer, 1);  // bos_id
        Tag(trainer, 42, 0); Varint(trainer, 2);  // eos_id
        Field(model, 2, trainer.ToArray());
        var normalizer = new MemoryStream();
        Field(normalizer, 1, Encoding.UTF8.GetBytes("identity"));
        Tag(normalizer, 3, 0); Varint(normalizer, 1); // add_dummy_prefix
        Tag(normalizer, 4, 0); Varint(normalizer, 0); // remove_extra_whitespaces
        Tag(normalizer, 5, 0); Varint(normalizer, 1); // escape_whitespaces
        Field(model, 3, normalizer.ToArray());
        return model.ToArray();
    }

    private static void Tag(Stream s, int field, int wire) => Varint(s, (ulong)((field << 3) | wire));

    private static void Field(Stream s, int field, byte[] bytes)
    {
        Tag(s, field, 2);
        Varint(s, (ulong)bytes.Length);
        s.Write(bytes);
    }

    private static void Varint(Stream s, ulong v)
    {
        while (v >= 0x80) { s.WriteByte((byte)(v | 0x80)); v >>= 7; }
        s.WriteByte((byte)v);
    }

    private TextTokenizer Load()
    {
        File.WriteAllBytes(_work.Combine(TextTokenizer.SentencePieceFile), ModelProto());
        return TextTokenizer.Load(_work.Path, imageTokenId: 300);
    }

    [Fact]
    public void A_SentencePiece_model_file_is_preferred_and_merges_whole_words()
    {
        File.WriteAllText(_work.Combine(TextTokenizer.VocabFile), "{}");
        var tokenizer = Load();

        var ids = tokenizer.Encode("the nodule");

        Assert.Equal(1, tokenizer.BosId);
        Assert.Equal(2, tokenizer.EosId);
        Assert.Equal(2, ids.Count); // "▁the", "▁nodule"
        Assert.Equal("the nodule", tokenizer.Decode(ids).Trim());
    }

    [Fact]
    public void Characters_outside_the_vocabulary_fall_back_to_bytes_and_decode_exactly()
    {
        var tokenizer = Load();

        var ids = tokenizer.Encode("lung ø");

        Assert.Contains(ids, id => id >= 3 && id < 259); // byte pieces for ø (two UTF-8 bytes)
        Assert.Equal("lung ø", tokenizer.Decode(ids).Trim());
    }
}
