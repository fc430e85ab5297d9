using System.Buffers.Binary;
using FedNano.Dicom;
using FedNano.Dicom.Tests.TestData;

namespace FedNano.Dicom.Tests.Malformed;

/// <summary>
/// A corpus of broken inputs generated in code. Every case must end in <see cref="DicomFormatException"/> or in a
/// file with warnings: no other exception, no hang, no allocation out of proportion to the input.
/// </summary>
public sealed class MalformedCorpusTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fednano-malformed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static byte[] ValidFile(DicomTransferSyntax syntax) => new DicomFile(SyntheticDatasets.SmallImage()).ToBytes(syntax);

    public static TheoryData<string> Syntaxes => new()
    {
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.RLELossless.Uid,
    };

    [Theory]
    [MemberData(nameof(Syntaxes))]
    public void A_file_truncated_at_every_offset_is_rejected_or_read_with_warnings(string uid)
    {
        var valid = ValidFile(DicomTransferSyntax.Parse(uid));
        var outcomes = new List<MalformedOutcome>();
        for (var length = 0; length < valid.Length; length++)
            outcomes.Add(MalformedHarness.Read(valid[..length], $"{uid} truncated to {length} of {valid.Length} bytes"));
        var tally = MalformedHarness.Tally(outcomes);
        Assert.True(tally[MalformedOutcome.FormatError] > 0, "no truncation was detected at all");
    }

    [Fact]
    public void A_file_truncated_inside_an_element_is_never_silently_accepted()
    {
        // Cutting inside the Patient Name value of an explicit VR file must be reported one way or the other.
        var valid = ValidFile(DicomTransferSyntax.ExplicitVRLittleEndian);
        var at = valid.AsSpan().IndexOf("Müller^Jürgen"u8);
        Assert.True(at > 0);
        for (var cut = at - 7; cut < at + 4; cut++)
        {
            var outcome = MalformedHarness.Read(valid[..cut], $"cut at {cut}");
            Assert.NotEqual(MalformedOutcome.Read, outcome);
        }
    }

    [Fact]
    public void A_file_truncated_at_every_offset_through_the_file_path_is_rejected_or_read_with_warnings()
    {
        var valid = ValidFile(DicomTransferSyntax.ExplicitVRLittleEndian);
        for (var length = 0; length < valid.Length; length += 7)
            MalformedHarness.Open(valid[..length], $"file truncated to {length}", _dir);
    }

    /// <summary>Offsets of the length fields of the top-level elements of an explicit VR LE file after the meta.</summary>
    private static IEnumerable<(int Offset, bool Long, string What)> LengthFields(byte[] file)
    {
        var pos = 132;
        while (pos + 8 <= file.Length)
        {
            var group = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos));
            var element = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos + 2));
            if (!DicomVRInfo.TryParse(file.AsSpan(pos + 4, 2), out var vr)) yield break;
            var tag = new DicomTag(group, element);
            if (vr.HasLongLength())
            {
                var length = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos + 8));
                yield return (pos + 8, true, $"{tag} {vr}");
                if (length == 0xFFFFFFFF) yield break; // stop at the first undefined length
                pos += 12 + (int)length;
            }
            else
            {
                yield return (pos + 6, false, $"{tag} {vr}");
                pos += 8 + BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos + 6));
            }
        }
    }

    [Fact]
    public void Absurd_lengths_in_every_element_header_are_rejected_without_allocating_them()
    {
        var valid = ValidFile(DicomTransferSyntax.ExplicitVRLittleEndian);
        var fields = LengthFields(valid).ToList();
        Assert.True(fields.Count > 10);
        foreach (var (offset, isLong, what) in fields)
        {
            foreach (var absurd in isLong ? new uint[] { 0xFFFFFFF0, 0x7FFFFFFF, 0xFFFFFFFE, 0x10000001 } : [0xFFF0, 0xFFFF, 0x8001])
            {
                var bytes = (byte[])valid.Clone();
                if (isLong) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), absurd);
                else BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset), (ushort)absurd);
                MalformedHarness.Both(bytes, $"{what} with length 0x{absurd:X}", _dir);
            }
        }
    }

    [Fact]
    public void Absurd_lengths_at_every_position_of_a_file_are_rejected_or_tolerated()
    {
        foreach (var syntax in new[] { DicomTransferSyntax.ExplicitVRLittleEndian, DicomTransferSyntax.ImplicitVRLittleEndian, DicomTransferSyntax.RLELossless })
        {
            var valid = ValidFile(syntax);
            for (var offset = 128; offset + 4 <= valid.Length; offset += 2)
            {
                var bytes = (byte[])valid.Clone();
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), 0xFFFFFFF0);
                MalformedHarness.Read(bytes, $"{syntax.Name}: 0xFFFFFFF0 written at offset {offset}");
            }
        }
    }

    [Theory]
    [InlineData("explicit SQ")]
    [InlineData("implicit unknown tag")]
    [InlineData("UN undefined length")]
    [InlineData("defined-length items")]
    public void Sequences_nested_10000_deep_are_rejected_without_exhausting_the_stack(string how)
    {
        const int depth = 10_000;
        var b = how == "implicit unknown tag"
            ? DicomByteBuilder.Part10(DicomTransferSyntax.ImplicitVRLittleEndian.Uid)
            : DicomByteBuilder.Part10(DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
        if (how == "defined-length items")
        {
            // Built inside out: each level is a defined-length SQ holding one defined-length item.
            var inner = new DicomByteBuilder().ExplicitText(DicomTags.CodeValue, "SH", "X").ToArray();
            for (var i = 0; i < depth; i++)
            {
                var item = new DicomByteBuilder().ItemStart((uint)inner.Length).Raw(inner).ToArray();
                inner = new DicomByteBuilder().ExplicitHeader(DicomTags.ReferencedImageSequence, "SQ", (uint)item.Length).Raw(item).ToArray();
            }
            b.Raw(inner);
        }
        else
        {
            for (var i = 0; i < depth; i++)
            {
                switch (how)
                {
                    case "explicit SQ": b.ExplicitHeader(DicomTags.ReferencedImageSequence, "SQ", DicomByteBuilder.Undefined); break;
                    case "implicit unknown tag": b.ImplicitHeader(new DicomTag(0x0029, 0x1001), DicomByteBuilder.Undefined); break;
                    default:
                        // CP-246: the outer UN is explicit; its content, and so every deeper level, is implicit VR.
                        if (i == 0) b.ExplicitHeader(new DicomTag(0x0029, 0x1001), "UN", DicomByteBuilder.Undefined);
                        else b.ImplicitHeader(new DicomTag(0x0029, 0x1001), DicomByteBuilder.Undefined);
                        break;
                }
                b.ItemStart();
            }
            for (var i = 0; i < depth; i++) b.ItemEnd().SequenceEnd();
        }
        var outcome = MalformedHarness.Read(b.ToArray(), $"{depth} nested sequences ({how})");
        Assert.Equal(MalformedOutcome.FormatError, outcome);
        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Read(b.ToArray()));
        Assert.Contains("nested", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0 })]
    [InlineData(new byte[] { (byte)'z', (byte)'z' })]
    [InlineData(new byte[] { (byte)'Q', (byte)'Q' })]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    [InlineData(new byte[] { (byte)'S', (byte)'Q' })]
    [InlineData(new byte[] { (byte)'U', (byte)'N' })]
    [InlineData(new byte[] { (byte)'O', (byte)'B' })]
    public void Bad_VR_bytes_in_any_element_are_rejected_or_read_with_warnings(byte[] vr)
    {
        var valid = ValidFile(DicomTransferSyntax.ExplicitVRLittleEndian);
        foreach (var (offset, isLong, what) in LengthFields(valid))
        {
            var vrAt = offset - (isLong ? 4 : 2);
            var bytes = (byte[])valid.Clone();
            bytes[vrAt] = vr[0];
            bytes[vrAt + 1] = vr[1];
            MalformedHarness.Both(bytes, $"{what} with VR bytes {vr[0]:X2} {vr[1]:X2}", _dir);
        }
    }

    [Fact]
    public void Invalid_VR_bytes_are_reported_as_a_warning_and_the_element_read_as_implicit_VR()
    {
        var b = DicomByteBuilder.Part10(DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
        b.ExplicitText(DicomTags.SOPClassUID, "UI", SyntheticDatasets.SecondaryCaptureSopClass);
        b.ImplicitText(DicomTags.PatientName, "Doe^John"); // implicit VR element inside an explicit VR file
        var read = DicomFile.Read(b.ToArray());
        Assert.Contains(read.Warnings, w => w.Tag == DicomTags.PatientName);
        Assert.Equal("Doe^John", read.Dataset.GetString(DicomTags.PatientName));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Garbage_after_the_file_meta_is_rejected_or_read_with_warnings(int seed)
    {
        var rnd = new Random(seed);
        foreach (var syntax in new[] { DicomTransferSyntax.ExplicitVRLittleEndian, DicomTransferSyntax.ImplicitVRLittleEndian, DicomTransferSyntax.DeflatedExplicitVRLittleEndian })
        {
            var header = DicomByteBuilder.Part10(syntax.Uid).ToArray();
            foreach (var length in new[] { 1, 7, 8, 13, 100, 4096 })
            {
                var garbage = new byte[length];
                rnd.NextBytes(garbage);
                MalformedHarness.Both([.. header, .. garbage], $"{syntax.Name}: {length} random bytes after the meta (seed {seed})", _dir);
            }
        }
    }

    [Fact]
    public void Random_bytes_without_any_structure_are_rejected_or_read_with_warnings()
    {
        var rnd = new Random(42);
        for (var i = 0; i < 300; i++)
        {
            var bytes = new byte[rnd.Next(0, 600)];
            rnd.NextBytes(bytes);
            MalformedHarness.Read(bytes, $"random input {i}");
        }
        MalformedHarness.Read("hello, this is not DICOM at all\n"u8.ToArray(), "text file");
        MalformedHarness.Read([], "empty input");
    }

    [Fact]
    public void A_sequence_whose_item_tag_is_missing_is_rejected_naming_the_sequence()
    {
        var b = DicomByteBuilder.Part10(DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
        b.ExplicitHeader(DicomTags.ReferencedImageSequence, "SQ", DicomByteBuilder.Undefined);
        var offset = b.Position;
        b.ExplicitText(DicomTags.ReferencedSOPInstanceUID, "UI", "1.2.3"); // should have been an item
        b.SequenceEnd();
        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Read(b.ToArray()));
        Assert.Equal(offset, ex.Offset);
        Assert.Equal(DicomTags.ReferencedImageSequence, ex.Tag);
        Assert.Equal(MalformedOutcome.FormatError, MalformedHarness.Both(b.ToArray(), "item tag missing", _dir));
    }

    [Fact]
    public void Missing_delimiters_at_the_end_of_the_input_are_warnings()
    {
        var b = DicomByteBuilder.Part10(DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
        b.ExplicitHeader(DicomTags.ReferencedImageSequence, "SQ", DicomByteBuilder.Undefined);
        b.ItemStart();
        b.ExplicitText(DicomTags.ReferencedSOPInstanceUID, "UI", "1.2.3");
        var read = DicomFile.Read(b.ToArray());
        Assert.NotEmpty(read.Warnings);
        Assert.Equal("1.2.3", Assert.Single(read.Dataset.GetSequenceItems(DicomTags.ReferencedImageSequence)).GetString(DicomTags.ReferencedSOPInstanceUID));
    }

    [Fact]
    public void A_stray_delimiter_at_the_top_level_is_rejected_or_tolerated()
    {
        var b = DicomByteBuilder.Part10(DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
        b.ExplicitText(DicomTags.SOPClassUID, "UI", SyntheticDatasets.SecondaryCaptureSopClass);
        b.SequenceEnd();
        b.ItemEnd();
        b.ItemStart();
        b.ExplicitText(DicomTags.PatientName, "PN", "Doe^John");
        MalformedHarness.Both(b.ToArray(), "stray delimiters", _dir);
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(6u)]
    [InlineData(7u)]
    public void A_basic_offset_table_whose_length_is_not_a_multiple_of_4_is_rejected(uint botLength)
    {
        var b = DicomByteBuilder.Part10(DicomTransferSyntax.RLELossless.Uid);
        b.ExplicitText(DicomTags.SOPClassUID, "UI", SyntheticDatasets.SecondaryCaptureSopClass);
        b.ExplicitHeader(DicomTags.PixelData, "OB", DicomByteBuilder.Undefined);
        var offset = b.Position;
        b.ItemStart(botLength).Raw(new byte[botLength]);
        b.ItemStart(4).Raw(new byte[4]);
        b.SequenceEnd();
        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Read(b.ToArray()));
        Assert.Equal(offset, ex.Offset);
        Assert.Equal(DicomTags.PixelData, ex.Tag);
        MalformedHarness.Both(b.ToArray(), "BOT not a multiple of 4", _dir);
    }

    [Fact]
    public void A_fragment_whose_length_runs_past_the_end_of_the_input_is_rejected()
    {
        var b = DicomByteBuilder.Part10(DicomTransferSyntax.RLELossless.Uid);
        b.ExplicitHeader(DicomTags.PixelData, "OB", DicomByteBuilder.Undefined);
        b.ItemStart(0);
        b.ItemStart(16).Raw(new byte[16]);
        var offset = b.Position;
        b.ItemStart(1000).Raw(new byte[10]);
        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Read(b.ToArray()));
        Assert.Equal(offset, ex.Offset);
        Assert.Equal(MalformedOutcome.FormatError, MalformedHarness.Both(b.ToArray(), "fragment past EOF", _dir));
    }

    [Fact]
    public void Something_other_than_an_item_inside_encapsulated_pixel_data_is_rejected()
    {
        var b = DicomByteBuilder.Part10(DicomTransferSyntax.RLELossless.Uid);
        b.ExplicitHeader(DicomTags.PixelData, "OB", DicomByteBuilder.Undefined);
        b.ItemStart(0);
        b.ExplicitText(DicomTags.PatientName, "PN", "Doe^John");
        Assert.Equal(MalformedOutcome.FormatError, MalformedHarness.Both(b.ToArray(), "element inside pixel data", _dir));
    }

    [Fact]
    public void A_corrupted_deflate_stream_is_rejected_or_read_with_warnings()
    {
        var valid = ValidFile(DicomTransferSyntax.DeflatedExplicitVRLittleEndian);
        var metaEnd = 132 + 12 + (int)BinaryPrimitives.ReadUInt32LittleEndian(valid.AsSpan(140));
        var rnd = new Random(7);
        var rejected = 0;
        for (var i = 0; i < 300; i++)
        {
            var bytes = (byte[])valid.Clone();
            var flips = rnd.Next(1, 4);
            for (var f = 0; f < flips; f++) bytes[rnd.Next(metaEnd, bytes.Length)] ^= (byte)rnd.Next(1, 256);
            if (MalformedHarness.Read(bytes, $"deflate corruption {i}") == MalformedOutcome.FormatError) rejected++;
        }
        Assert.True(rejected > 0, "no corruption of the deflate stream was detected");

        // Not deflate data at all.
        var header = valid[..metaEnd];
        var junk = Enumerable.Repeat((byte)0xFF, 64).ToArray();
        Assert.Equal(MalformedOutcome.FormatError, MalformedHarness.Read([.. header, .. junk], "0xFF instead of deflate data"));
    }

    [Fact]
    public void A_declared_transfer_syntax_that_is_not_a_UID_is_rejected()
    {
        var b = DicomByteBuilder.Part10("not-a-transfer-syntax");
        b.ExplicitText(DicomTags.SOPClassUID, "UI", SyntheticDatasets.SecondaryCaptureSopClass);
        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Read(b.ToArray()));
        Assert.Equal(DicomTags.TransferSyntaxUID, ex.Tag);
    }
}
