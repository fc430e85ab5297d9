using System.Text;
using FedNano.Dicom;
using FedNano.Dicom.Tests.TestData;

namespace FedNano.Dicom.Tests.Codec;

/// <summary>Inputs our writer never produces but readers meet: big endian, missing preamble or meta, UN tricks.</summary>
public class ReaderVariantTests
{
    private const string BigEndianUid = "1.2.840.10008.1.2.2";

    /// <summary>An Explicit VR Big Endian file built by hand, with a nested sequence of each length kind.</summary>
    internal static byte[] BigEndianFile()
    {
        var b = DicomByteBuilder.Part10(BigEndianUid);
        b.BigEndian = true;
        b.ExplicitText(DicomTags.SpecificCharacterSet, "CS", "ISO_IR 100");
        b.ExplicitText(DicomTags.SOPClassUID, "UI", SyntheticDatasets.SecondaryCaptureSopClass);
        b.ExplicitText(DicomTags.SOPInstanceUID, "UI", "1.2.826.0.1.3680043.8.498.99");
        // Referenced Image Sequence, undefined length, one item of undefined length.
        b.ExplicitHeader(DicomTags.ReferencedImageSequence, "SQ", DicomByteBuilder.Undefined);
        b.ItemStart();
        b.ExplicitText(DicomTags.ReferencedSOPInstanceUID, "UI", "1.2.3.4");
        b.Explicit(DicomTags.ReferencedFrameNumber, "IS", "12"u8);
        b.ItemEnd();
        b.SequenceEnd();
        b.Explicit(DicomTags.SimpleFrameList, "UL", DicomByteBuilder.U32s(true, 1, 4_000_000_000));
        b.Explicit(DicomTags.TimeRange, "FD", DicomByteBuilder.F64s(true, 1.5, -2.25));
        // Source Image Sequence, defined length: item with defined length holding one US.
        var itemContent = new DicomByteBuilder { BigEndian = true }.Explicit(DicomTags.Rows, "US", DicomByteBuilder.U16s(true, 77)).ToArray();
        b.ExplicitHeader(DicomTags.SourceImageSequence, "SQ", (uint)(8 + itemContent.Length));
        b.ItemStart((uint)itemContent.Length).Raw(itemContent);
        b.ExplicitText(DicomTags.PatientName, "PN", "Müller^Jürgen", Encoding.Latin1);
        b.Explicit(DicomTags.ExaminedBodyThickness, "FL", DicomByteBuilder.F32s(true, 12.5f));
        b.Explicit(DicomTags.BadPixelImage, "OB", new byte[] { 1, 2, 3, 4 });
        b.Explicit(DicomTags.ReferencePixelX0, "SL", DicomByteBuilder.U32s(true, unchecked((uint)-12345)));
        b.Explicit(DicomTags.DimensionIndexPointer, "AT", DicomByteBuilder.U16s(true, 0x0020, 0x0032));
        b.Explicit(DicomTags.SamplesPerPixel, "US", DicomByteBuilder.U16s(true, 1));
        b.ExplicitText(DicomTags.PhotometricInterpretation, "CS", "MONOCHROME2");
        b.Explicit(DicomTags.Rows, "US", DicomByteBuilder.U16s(true, 2));
        b.Explicit(DicomTags.Columns, "US", DicomByteBuilder.U16s(true, 2));
        b.Explicit(DicomTags.BitsAllocated, "US", DicomByteBuilder.U16s(true, 16));
        b.Explicit(DicomTags.BitsStored, "US", DicomByteBuilder.U16s(true, 16));
        b.Explicit(DicomTags.HighBit, "US", DicomByteBuilder.U16s(true, 15));
        b.Explicit(DicomTags.PixelRepresentation, "US", DicomByteBuilder.U16s(true, 0));
        b.Explicit(DicomTags.RedPaletteColorLookupTableData, "OW", DicomByteBuilder.U16s(true, 0x0102, 0xA0B0));
        // CP-246 inside big endian: the UN header is big endian, its content implicit VR *little* endian.
        b.ExplicitText(new DicomTag(0x0029, 0x0010), "LO", "FEDNANO TEST");
        b.ExplicitHeader(new DicomTag(0x0029, 0x1001), "UN", DicomByteBuilder.Undefined);
        b.BigEndian = false;
        b.ItemStart();
        b.Implicit(DicomTags.Rows, DicomByteBuilder.U16s(false, 300));
        b.ItemEnd();
        b.SequenceEnd();
        b.BigEndian = true;
        b.Explicit(DicomTags.VectorGridData, "OF", DicomByteBuilder.F32s(true, 0.5f, -1f));
        b.Explicit(DicomTags.DoublePointCoordinatesData, "OD", DicomByteBuilder.F64s(true, 1.0 / 3));
        b.Explicit(DicomTags.LongPrimitivePointIndexList, "OL", DicomByteBuilder.U32s(true, 0xDEADBEEF));
        b.Explicit(DicomTags.SelectorOVValue, "OV", DicomByteBuilder.I64s(true, -2));
        b.Explicit(DicomTags.SelectorSVValue, "SV", DicomByteBuilder.I64s(true, -5, long.MaxValue));
        b.Explicit(DicomTags.PixelData, "OW", DicomByteBuilder.U16s(true, 1, 256, 0x1234, 0xFFFF));
        return b.ToArray();
    }

    [Fact]
    public void Explicit_VR_big_endian_is_read_with_every_binary_value_swapped_to_little_endian()
    {
        var file = DicomFile.Read(BigEndianFile());
        Assert.Equal(DicomTransferSyntax.ExplicitVRBigEndian, file.TransferSyntax);
        Assert.Empty(file.Warnings);
        AssertBigEndianValues(file.Dataset);
    }

    private static void AssertBigEndianValues(DicomDataset ds)
    {
        Assert.Equal("Müller^Jürgen", ds.GetString(DicomTags.PatientName));
        Assert.Equal([1.5, -2.25], ds.GetValues<double>(DicomTags.TimeRange));
        Assert.Equal(-12345, ds.GetValue<int>(DicomTags.ReferencePixelX0));
        Assert.Equal([DicomTags.ImagePositionPatient], ds.GetTags(DicomTags.DimensionIndexPointer));
        Assert.Equal(12.5f, ds.GetValue<float>(DicomTags.ExaminedBodyThickness));
        Assert.Equal([1u, 4_000_000_000u], ds.GetValues<uint>(DicomTags.SimpleFrameList));
        Assert.Equal([-5L, long.MaxValue], ds.GetValues<long>(DicomTags.SelectorSVValue));
        Assert.Equal([(ushort)0x0102, (ushort)0xA0B0], ds.GetValues<ushort>(DicomTags.RedPaletteColorLookupTableData));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, ((DicomElement)ds.GetItem(DicomTags.BadPixelImage)!).Value.GetMemory().ToArray());
        Assert.Equal([(ushort)1, (ushort)256, (ushort)0x1234, (ushort)0xFFFF], ds.GetValues<ushort>(DicomTags.PixelData));
        var item = Assert.Single(ds.GetSequenceItems(DicomTags.ReferencedImageSequence));
        Assert.Equal("1.2.3.4", item.GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Equal(12, item.GetValue<int>(DicomTags.ReferencedFrameNumber));
        Assert.Equal((ushort)77, Assert.Single(ds.GetSequenceItems(DicomTags.SourceImageSequence)).GetValue<ushort>(DicomTags.Rows));
        Assert.Equal((ushort)2, ds.GetValue<ushort>(DicomTags.Rows));
        Assert.Equal([0.5f, -1f], ds.GetValues<float>(DicomTags.VectorGridData));
        Assert.Equal([1.0 / 3], ds.GetValues<double>(DicomTags.DoublePointCoordinatesData));
        Assert.Equal([0xDEADBEEFu], ds.GetValues<uint>(DicomTags.LongPrimitivePointIndexList));
        Assert.Equal([unchecked((ulong)-2L)], ds.GetValues<ulong>(DicomTags.SelectorOVValue));
        var cp246 = Assert.Single(Assert.IsType<DicomSequence>(ds.GetItem(new DicomTag(0x0029, 0x1001))).Items);
        Assert.Equal((ushort)300, cp246.GetValue<ushort>(DicomTags.Rows));
    }

    [Fact]
    public void A_big_endian_file_saved_again_is_written_as_explicit_little_endian_with_the_same_values()
    {
        var file = DicomFile.Read(BigEndianFile());
        var again = DicomFile.Read(file.ToBytes());
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, again.TransferSyntax);
        AssertBigEndianValues(again.Dataset);
    }

    [Fact]
    public void A_file_with_DICM_but_no_preamble_is_read_with_a_warning()
    {
        var bytes = new DicomFile(SyntheticDatasets.Rich()).ToBytes(DicomTransferSyntax.ExplicitVRLittleEndian)[128..];
        var read = DicomFile.Read(bytes);
        Assert.False(read.HadPreamble);
        Assert.NotEmpty(read.Warnings);
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, read.TransferSyntax);
        DatasetAssert.Equal(SyntheticDatasets.Rich(), read.Dataset, EncodingExpectation.For(read.TransferSyntax));
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2")]
    [InlineData("1.2.840.10008.1.2.1")]
    [InlineData("1.2.840.10008.1.2.1.99")]
    public void A_file_meta_group_at_offset_zero_without_preamble_or_DICM_is_read(string uid)
    {
        var syntax = DicomTransferSyntax.Parse(uid);
        var bytes = new DicomFile(SyntheticDatasets.Rich()).ToBytes(syntax)[132..];
        var read = DicomFile.Read(bytes);
        Assert.False(read.HadPreamble);
        Assert.Equal(syntax, read.TransferSyntax);
        Assert.Equal(uid, read.FileMetaInfo.GetString(DicomTags.TransferSyntaxUID));
        DatasetAssert.Equal(SyntheticDatasets.Rich(), read.Dataset, EncodingExpectation.For(syntax));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_raw_dataset_without_any_file_meta_is_detected_and_read(bool explicitVR)
    {
        var original = SyntheticDatasets.Rich();
        var ms = new MemoryStream();
        new DicomWriter(ms, explicitVR).WriteDataset(original.Clone());
        var read = DicomFile.Read(ms.ToArray());
        Assert.False(read.HadPreamble);
        Assert.Equal(0, read.FileMetaInfo.Count);
        Assert.Equal(explicitVR ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ImplicitVRLittleEndian, read.TransferSyntax);
        DatasetAssert.Equal(original, read.Dataset, new EncodingExpectation(!explicitVR));
    }

    [Fact]
    public void A_raw_big_endian_dataset_without_meta_is_detected()
    {
        var b = new DicomByteBuilder { BigEndian = true };
        b.ExplicitText(DicomTags.SOPClassUID, "UI", SyntheticDatasets.SecondaryCaptureSopClass);
        b.Explicit(DicomTags.Rows, "US", DicomByteBuilder.U16s(true, 512));
        var read = DicomFile.Read(b.ToArray());
        Assert.Equal(DicomTransferSyntax.ExplicitVRBigEndian, read.TransferSyntax);
        Assert.Equal((ushort)512, read.Dataset.GetValue<ushort>(DicomTags.Rows));
    }

    [Fact]
    public void UN_with_undefined_length_is_read_as_an_implicit_VR_little_endian_sequence()
    {
        // CP-246: a private sequence that passed through a system that did not know it.
        var b = DicomByteBuilder.Part10(DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
        b.ExplicitText(DicomTags.SOPClassUID, "UI", SyntheticDatasets.SecondaryCaptureSopClass);
        b.ExplicitText(new DicomTag(0x0029, 0x0010), "LO", "FEDNANO TEST");
        b.ExplicitHeader(new DicomTag(0x0029, 0x1004), "UN", DicomByteBuilder.Undefined);
        b.ItemStart();
        b.ImplicitText(new DicomTag(0x0031, 0x0010), "FEDNANO INNER");
        b.ImplicitText(new DicomTag(0x0031, 0x1001), "inner private");
        b.ImplicitText(DicomTags.ReferencedSOPInstanceUID, "1.2.3.4", uid: true);
        b.ItemEnd();
        b.ItemStart(2 * (8 + 2));
        b.Implicit(DicomTags.Rows, DicomByteBuilder.U16s(false, 64));
        b.Implicit(DicomTags.Columns, DicomByteBuilder.U16s(false, 32));
        b.SequenceEnd();
        b.ExplicitText(new DicomTag(0x0029, 0x1005), "LO", "after");

        var read = DicomFile.Read(b.ToArray());
        var seq = Assert.IsType<DicomSequence>(read.Dataset.GetItem(new DicomTag(0x0029, 0x1004)));
        Assert.Equal(2, seq.Items.Count);
        Assert.Equal("FEDNANO INNER", seq.Items[0].GetString(new DicomTag(0x0031, 0x0010)));
        Assert.Equal("inner private", Encoding.ASCII.GetString(((DicomElement)seq.Items[0].GetItem(new DicomTag(0x0031, 0x1001))!).Value.GetMemory().Span).TrimEnd());
        Assert.Equal(DicomVR.UI, seq.Items[0].GetItem(DicomTags.ReferencedSOPInstanceUID)!.VR);
        Assert.Equal("1.2.3.4", seq.Items[0].GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Equal((ushort)64, seq.Items[1].GetValue<ushort>(DicomTags.Rows));
        Assert.Equal((ushort)32, seq.Items[1].GetValue<ushort>(DicomTags.Columns));
        Assert.Equal("after", read.Dataset.GetString(new DicomTag(0x0029, 0x1005)));
    }

    [Fact]
    public void A_public_sequence_arriving_as_UN_with_undefined_length_is_read_as_that_sequence()
    {
        var b = DicomByteBuilder.Part10(DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
        b.ExplicitHeader(DicomTags.ReferencedImageSequence, "UN", DicomByteBuilder.Undefined);
        b.ItemStart();
        b.ImplicitText(DicomTags.ReferencedSOPClassUID, SyntheticDatasets.CtImageSopClass, uid: true);
        b.ItemEnd();
        b.SequenceEnd();
        var read = DicomFile.Read(b.ToArray()).Dataset;
        var item = Assert.Single(read.GetSequenceItems(DicomTags.ReferencedImageSequence));
        Assert.Equal(SyntheticDatasets.CtImageSopClass, item.GetString(DicomTags.ReferencedSOPClassUID));
    }

    [Fact]
    public void Known_public_tags_arriving_as_UN_are_retyped_from_the_dictionary()
    {
        var b = DicomByteBuilder.Part10(DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
        b.Explicit(DicomTags.PatientName, "UN", "Doe^John"u8);
        // A defined-length sequence as UN: its bytes are implicit VR little endian items.
        var item = new DicomByteBuilder().ImplicitText(DicomTags.ReferencedSOPInstanceUID, "1.2.3", uid: true).ToArray();
        var seq = new DicomByteBuilder().ItemStart((uint)item.Length).Raw(item).ToArray();
        b.Explicit(DicomTags.ReferencedImageSequence, "UN", seq);
        b.Explicit(DicomTags.Rows, "UN", DicomByteBuilder.U16s(false, 512));
        b.Explicit(DicomTags.TimeRange, "UN", DicomByteBuilder.F64s(false, 1.5, 2.5));

        var ds = DicomFile.Read(b.ToArray()).Dataset;
        Assert.Equal(DicomVR.PN, ds.GetItem(DicomTags.PatientName)!.VR);
        Assert.Equal("Doe^John", ds.GetString(DicomTags.PatientName));
        Assert.Equal(DicomVR.US, ds.GetItem(DicomTags.Rows)!.VR);
        Assert.Equal((ushort)512, ds.GetValue<ushort>(DicomTags.Rows));
        Assert.Equal(DicomVR.FD, ds.GetItem(DicomTags.TimeRange)!.VR);
        Assert.Equal([1.5, 2.5], ds.GetValues<double>(DicomTags.TimeRange));
        Assert.Equal("1.2.3", Assert.Single(ds.GetSequenceItems(DicomTags.ReferencedImageSequence)).GetString(DicomTags.ReferencedSOPInstanceUID));
    }

    [Fact]
    public void Retyping_UN_can_be_switched_off()
    {
        var b = DicomByteBuilder.Part10(DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
        b.Explicit(DicomTags.Rows, "UN", DicomByteBuilder.U16s(false, 512));
        var ds = DicomFile.Read(b.ToArray(), new DicomReadOptions { RetypeUnknownVR = false }).Dataset;
        Assert.Equal(DicomVR.UN, ds.GetItem(DicomTags.Rows)!.VR);
    }

    [Fact]
    public void Group_length_elements_in_the_dataset_are_tolerated()
    {
        var b = DicomByteBuilder.Part10(DicomTransferSyntax.ImplicitVRLittleEndian.Uid);
        b.Implicit(new DicomTag(0x0008, 0x0000), DicomByteBuilder.U32s(false, 8 + 26));
        b.ImplicitText(DicomTags.SOPClassUID, SyntheticDatasets.SecondaryCaptureSopClass, uid: true);
        b.Implicit(new DicomTag(0x0028, 0x0000), DicomByteBuilder.U32s(false, 10));
        b.Implicit(DicomTags.Rows, DicomByteBuilder.U16s(false, 3));
        var ds = DicomFile.Read(b.ToArray()).Dataset;
        Assert.Equal(SyntheticDatasets.SecondaryCaptureSopClass, ds.GetString(DicomTags.SOPClassUID));
        Assert.Equal((ushort)3, ds.GetValue<ushort>(DicomTags.Rows));
    }
}
