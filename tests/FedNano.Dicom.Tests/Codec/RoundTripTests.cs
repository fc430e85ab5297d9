using System.Buffers.Binary;
using FedNano.Dicom;
using FedNano.Dicom.Tests.TestData;

namespace FedNano.Dicom.Tests.Codec;

/// <summary>Write → read round trips of a dataset that exercises every VR and structure.</summary>
public class RoundTripTests
{
    public static TheoryData<string> UncompressedWritable => new()
    {
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid,
    };

    public static TheoryData<string> AllWritable => new()
    {
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.RLELossless.Uid,
    };

    internal static DicomFile RoundTrip(DicomDataset ds, DicomTransferSyntax syntax, DicomWriteOptions? options = null)
    {
        var bytes = new DicomFile(ds.Clone()).ToBytes(syntax, options);
        return DicomFile.Read(bytes);
    }

    [Theory]
    [MemberData(nameof(UncompressedWritable))]
    public void Rich_dataset_reads_back_with_identical_elements(string uid)
    {
        var syntax = DicomTransferSyntax.Parse(uid);
        var original = SyntheticDatasets.Rich();
        var read = RoundTrip(original, syntax);
        Assert.Equal(syntax, read.TransferSyntax);
        DatasetAssert.Equal(original, read.Dataset, EncodingExpectation.For(syntax));
    }

    [Fact]
    public void Rich_dataset_in_RLE_keeps_every_attribute_and_the_exact_pixel_values()
    {
        var original = SyntheticDatasets.Rich();
        var read = RoundTrip(original, DicomTransferSyntax.RLELossless);
        Assert.Equal(DicomTransferSyntax.RLELossless, read.TransferSyntax);
        DatasetAssert.Equal(original, read.Dataset, EncodingExpectation.For(DicomTransferSyntax.RLELossless),
            ignore: t => t == DicomTags.PixelData);
        var fragments = Assert.IsType<DicomFragmentSequence>(read.Dataset.GetItem(DicomTags.PixelData));
        Assert.Single(fragments.Fragments); // RLE: one fragment per frame (PS3.5 G.2)

        // Decoding (transcoding back to native) gives the original pixels bit for bit.
        var native = DicomFile.Read(read.ToBytes(DicomTransferSyntax.ExplicitVRLittleEndian));
        var pixels = Assert.IsType<DicomElement>(native.Dataset.GetItem(DicomTags.PixelData));
        Assert.Equal(((DicomElement)original.GetItem(DicomTags.PixelData)!).Value.GetMemory().ToArray(), pixels.Value.GetMemory().ToArray());
    }

    [Theory]
    [MemberData(nameof(AllWritable))]
    public void Written_file_has_preamble_DICM_and_meta_naming_the_syntax(string uid)
    {
        var syntax = DicomTransferSyntax.Parse(uid);
        var bytes = new DicomFile(SyntheticDatasets.Rich()).ToBytes(syntax);
        Assert.All(bytes.AsSpan(0, 128).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal("DICM"u8.ToArray(), bytes.AsSpan(128, 4).ToArray());
        var read = DicomFile.Read(bytes);
        Assert.True(read.HadPreamble);
        Assert.Empty(read.Warnings);
        Assert.Equal(uid, read.FileMetaInfo.GetString(DicomTags.TransferSyntaxUID));
        Assert.Equal(SyntheticDatasets.SecondaryCaptureSopClass, read.FileMetaInfo.GetString(DicomTags.MediaStorageSOPClassUID));
        Assert.Equal(SyntheticDatasets.Uid(10001), read.FileMetaInfo.GetString(DicomTags.MediaStorageSOPInstanceUID));
        Assert.False(string.IsNullOrEmpty(read.FileMetaInfo.GetString(DicomTags.ImplementationClassUID)));
        // (0002,0000) holds the exact length of the rest of group 0002.
        var groupLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(132 + 8));
        var pos = 132 + 12;
        var end = pos + (int)groupLength;
        while (pos < end)
        {
            Assert.Equal(0x0002, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pos)));
            Assert.True(DicomVRInfo.TryParse(bytes.AsSpan(pos + 4, 2), out var vr));
            pos += vr.HasLongLength() ? 12 + (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos + 8))
                                      : 8 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pos + 6));
        }
        Assert.Equal(end, pos);
        if (!syntax.IsDeflated) Assert.NotEqual(0x0002, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(end)));
    }

    [Theory]
    [MemberData(nameof(AllWritable))]
    public void Every_written_value_has_even_length(string uid)
    {
        var read = RoundTrip(SyntheticDatasets.Rich(), DicomTransferSyntax.Parse(uid));
        AssertEven(read.Dataset, "");
        AssertEven(read.FileMetaInfo, "");

        static void AssertEven(DicomDataset ds, string path)
        {
            foreach (var item in ds)
            {
                switch (item)
                {
                    case DicomElement e: Assert.True(e.Length % 2 == 0, $"{path}{e.Tag} has odd length {e.Length}"); break;
                    case DicomSequence s: for (var i = 0; i < s.Items.Count; i++) AssertEven(s.Items[i], $"{path}{s.Tag}[{i}]."); break;
                    case DicomFragmentSequence f: Assert.All(f.Fragments, fr => Assert.True(fr.Length % 2 == 0, $"fragment of odd length {fr.Length}")); break;
                }
            }
        }
    }

    [Fact]
    public void Odd_length_text_is_padded_with_a_space_UIDs_with_NUL_and_binary_with_zero()
    {
        var read = RoundTrip(SyntheticDatasets.Rich(), DicomTransferSyntax.ExplicitVRLittleEndian).Dataset;
        Assert.Equal("Fed "u8.ToArray(), ((DicomElement)read.GetItem(DicomTags.Manufacturer)!).Value.GetMemory().ToArray());
        var uid = ((DicomElement)read.GetItem(DicomTags.SOPInstanceUID)!).Value.GetMemory().ToArray();
        Assert.Equal(0, uid[^1]);
        Assert.Equal(SyntheticDatasets.Uid(10001), read.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 0 }, ((DicomElement)read.GetItem(DicomTags.BadPixelImage)!).Value.GetMemory().ToArray());
        Assert.Equal("Fed", read.GetString(DicomTags.Manufacturer));
    }

    [Theory]
    [MemberData(nameof(UncompressedWritable))]
    public void Typed_values_read_back_through_the_public_API(string uid)
    {
        var ds = RoundTrip(SyntheticDatasets.Rich(), DicomTransferSyntax.Parse(uid)).Dataset;
        Assert.Equal(["ORIGINAL", "PRIMARY", "AXIAL"], ds.GetStrings(DicomTags.ImageType));
        Assert.Equal(["FEDNANO", "ARCHIVE_2"], ds.GetStrings(DicomTags.RetrieveAETitle));
        Assert.Equal("Müller^Jürgen=ミュラー^ユルゲン", ds.GetString(DicomTags.PatientName));
        Assert.Equal("Hôpital Zürich", ds.GetString(DicomTags.InstitutionName));
        Assert.Equal(["Smith^Anne", "Ng^Lee"], ds.GetStrings(DicomTags.PerformingPhysicianName));
        Assert.Equal("", ds.GetString(DicomTags.SeriesDate));
        Assert.Empty(ds.GetStrings(DicomTags.SeriesDate));
        Assert.Equal([1.5, -2.25], ds.GetValues<double>(DicomTags.TimeRange));
        Assert.Equal([long.MinValue, -1L, 42L], ds.GetValues<long>(DicomTags.SelectorSVValue));
        Assert.Equal([ulong.MaxValue, 0UL], ds.GetValues<ulong>(DicomTags.SelectorUVValue));
        Assert.Equal([1UL, ulong.MaxValue], ds.GetValues<ulong>(DicomTags.SelectorOVValue));
        Assert.Equal([1.0 / 3, double.MaxValue, -0.0], ds.GetValues<double>(DicomTags.DoublePointCoordinatesData));
        Assert.Equal([7u, 0xDEADBEEFu], ds.GetValues<uint>(DicomTags.LongPrimitivePointIndexList));
        Assert.Equal([1u, 2u, 4_000_000_000u], ds.GetValues<uint>(DicomTags.SimpleFrameList));
        Assert.Equal([-12345, int.MaxValue], ds.GetValues<int>(DicomTags.ReferencePixelX0));
        Assert.Equal((short)-5, ds.GetValue<short>(DicomTags.TagAngleSecondAxis));
        Assert.Equal(12.5f, ds.GetValue<float>(DicomTags.ExaminedBodyThickness));
        Assert.Equal([1, 2, 3], ds.GetValues<int>(DicomTags.ReferencedFrameNumber));
        Assert.Equal(1.75, ds.GetValue<double>(DicomTags.PatientSize));
        Assert.Equal([DicomTags.ImagePositionPatient], ds.GetTags(DicomTags.DimensionIndexPointer));
        Assert.Equal([DicomTags.FrameTime, DicomTags.FrameTimeVector], ds.GetTags(DicomTags.FrameIncrementPointer));
        Assert.Equal("Line one\r\nLine two", ds.GetString(DicomTags.PatientComments));
        Assert.Equal("http://example.org/codes?x=1&y=2", ds.GetString(DicomTags.CodingSchemeURL));

        // Three levels of sequences.
        var level1 = ds.GetSequenceItems(DicomTags.ReferencedImageSequence);
        Assert.Equal(2, level1.Count);
        Assert.Equal(0, level1[1].Count);
        var level2 = level1[0].GetSequenceItems(DicomTags.SourceImageSequence);
        var level3 = Assert.Single(level2).GetSequenceItems(DicomTags.PurposeOfReferenceCodeSequence);
        Assert.Equal("Uncompressed predecessor", Assert.Single(level3).GetString(DicomTags.CodeMeaning));
        Assert.Empty(ds.GetSequenceItems(DicomTags.LanguageCodeSequence));
        Assert.True(ds.Contains(DicomTags.LanguageCodeSequence));

        // Private blocks, including a private sequence with its own private block.
        Assert.Equal(SyntheticDatasets.PrivateCreator, ds.GetPrivateCreator(SyntheticDatasets.Private(0x0029, 0x10, 0x01)));
        var privateSeq = Assert.IsType<DicomSequence>(ds.GetItem(SyntheticDatasets.Private(0x0029, 0x10, 0x04)));
        var inner = Assert.Single(privateSeq.Items);
        Assert.Equal(SyntheticDatasets.InnerPrivateCreator, inner.GetPrivateCreator(SyntheticDatasets.Private(0x0031, 0x10, 0x01)));
    }

    [Fact]
    public void A_LO_value_over_64KiB_is_written_as_UN_in_explicit_VR_and_read_back_as_LO()
    {
        var original = SyntheticDatasets.Rich();
        var bytes = new DicomFile(original).ToBytes(DicomTransferSyntax.ExplicitVRLittleEndian);

        // (0008,1030) must be encoded as UN with 2 reserved bytes and a 32-bit length (CP-1066).
        var header = new byte[] { 0x08, 0x00, 0x30, 0x10, (byte)'U', (byte)'N', 0, 0 };
        var at = bytes.AsSpan().IndexOf(header);
        Assert.True(at > 0, "StudyDescription was not written as UN");
        Assert.Equal((uint)SyntheticDatasets.BigValueLength + 1, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)));

        var read = DicomFile.Read(bytes).Dataset;
        var e = Assert.IsType<DicomElement>(read.GetItem(SyntheticDatasets.BigLoTag));
        Assert.Equal(DicomVR.LO, e.VR);
        Assert.Equal(SyntheticDatasets.BigText(SyntheticDatasets.BigValueLength), read.GetString(SyntheticDatasets.BigLoTag));
    }

    [Fact]
    public void A_private_short_VR_value_over_64KiB_comes_back_as_UN_with_the_same_bytes()
    {
        var tag = SyntheticDatasets.Private(0x0029, 0x10, 0x05);
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, SyntheticDatasets.SecondaryCaptureSopClass)
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, SyntheticDatasets.Uid(5))
            .AddOrUpdate(SyntheticDatasets.Private(0x0029, 0, 0x10), DicomVR.LO, SyntheticDatasets.PrivateCreator)
            .AddOrUpdate(tag, DicomVR.SH, SyntheticDatasets.BigText(100_000));
        var read = RoundTrip(ds, DicomTransferSyntax.ExplicitVRLittleEndian).Dataset;
        var e = Assert.IsType<DicomElement>(read.GetItem(tag));
        Assert.Equal(DicomVR.UN, e.VR);
        Assert.Equal(SyntheticDatasets.BigText(100_000), System.Text.Encoding.ASCII.GetString(e.Value.GetMemory().Span));
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.1")]
    [InlineData("1.2.840.10008.1.2.1.99")]
    [InlineData("1.2.840.10008.1.2")]
    public void Defined_length_sequences_need_no_delimiters_and_read_back_identically(string uid)
    {
        var syntax = DicomTransferSyntax.Parse(uid);
        var options = new DicomWriteOptions { DefinedLengthSequences = true };
        var original = SyntheticDatasets.Rich();
        original.Remove(DicomTags.PixelData);
        var bytes = new DicomFile(original.Clone()).ToBytes(syntax, options);
        if (!syntax.IsDeflated)
        {
            Assert.True(bytes.AsSpan().IndexOf(new byte[] { 0xFE, 0xFF, 0x0D, 0xE0 }) < 0, "item delimiter written");
            Assert.True(bytes.AsSpan().IndexOf(new byte[] { 0xFE, 0xFF, 0xDD, 0xE0 }) < 0, "sequence delimiter written");
        }
        var read = DicomFile.Read(bytes);
        Assert.Empty(read.Warnings);
        DatasetAssert.Equal(original, read.Dataset, EncodingExpectation.For(syntax, options));
    }

    [Fact]
    public void Undefined_length_sequences_are_the_default_and_end_with_delimiters()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.ReferencedImageSequence,
            new DicomDataset().AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, "1.2.3.4"));
        var bytes = new DicomFile(ds).ToBytes(DicomTransferSyntax.ExplicitVRLittleEndian);
        var seq = bytes.AsSpan().IndexOf(new byte[] { 0x08, 0x00, 0x40, 0x11, (byte)'S', (byte)'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF });
        Assert.True(seq > 0);
        Assert.Equal(new byte[] { 0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF }, bytes.AsSpan(seq + 12, 8).ToArray());
        Assert.Equal(new byte[] { 0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0, 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0 }, bytes.AsSpan(bytes.Length - 16).ToArray());
    }

    [Theory]
    [MemberData(nameof(UncompressedWritable))]
    public void Saving_to_a_path_and_opening_it_gives_the_same_dataset(string uid)
    {
        var syntax = DicomTransferSyntax.Parse(uid);
        var original = SyntheticDatasets.Rich();
        var path = Path.Combine(Path.GetTempPath(), $"fednano-rt-{Guid.NewGuid():N}.dcm");
        try
        {
            new DicomFile(original.Clone()).Save(path, syntax);
            var read = DicomFile.Open(path);
            Assert.Equal(syntax, read.TransferSyntax);
            DatasetAssert.Equal(original, read.Dataset, EncodingExpectation.For(syntax));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + ".*.tmp"));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Deflated_files_are_actually_compressed()
    {
        var ds = SyntheticDatasets.Rich();
        var plain = new DicomFile(ds).ToBytes(DicomTransferSyntax.ExplicitVRLittleEndian);
        var deflated = new DicomFile(ds).ToBytes(DicomTransferSyntax.DeflatedExplicitVRLittleEndian);
        Assert.True(deflated.Length < plain.Length / 2, $"deflated {deflated.Length} bytes vs {plain.Length} plain");
    }

    [Fact]
    public void Group_length_elements_outside_group_0002_are_dropped_on_writing()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0008, 0x0000), DicomVR.UL, 1234u)
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, SyntheticDatasets.SecondaryCaptureSopClass);
        var read = RoundTrip(ds, DicomTransferSyntax.ExplicitVRLittleEndian).Dataset;
        Assert.False(read.Contains(new DicomTag(0x0008, 0x0000)));
        Assert.Equal(SyntheticDatasets.SecondaryCaptureSopClass, read.GetString(DicomTags.SOPClassUID));
    }
}
