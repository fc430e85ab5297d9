using System.Buffers.Binary;
using FedNano.Dicom;
using FedNano.Dicom.Tests.TestData;

namespace FedNano.Dicom.Tests.Codec;

/// <summary>Encapsulated Pixel Data (PS3.5 A.4): Basic Offset Table full, empty or absent; fragments; delimiters.</summary>
public class EncapsulatedPixelDataTests
{
    private const string JpegBaseline = "1.2.840.10008.1.2.4.50";

    private static DicomDataset EncapsulatedImage(DicomFragmentSequence pixelData, int frames)
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, SyntheticDatasets.SecondaryCaptureSopClass)
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, SyntheticDatasets.Uid(50001))
            .AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1)
            .AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2")
            .AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, frames)
            .AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)8)
            .AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)8)
            .AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)8)
            .AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)8)
            .AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)7)
            .AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)0);
        ds.AddOrUpdate(pixelData);
        return ds;
    }

    private static byte[] Fragment(int length, int seed)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    [Fact]
    public void RLE_frames_get_a_full_offset_table_that_points_at_each_frame()
    {
        var ds = SyntheticDatasets.AddImage(new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, SyntheticDatasets.SecondaryCaptureSopClass)
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, SyntheticDatasets.Uid(50002)), rows: 16, columns: 16, seed: 3, frames: 3);
        var read = DicomFile.Read(new DicomFile(ds).ToBytes(DicomTransferSyntax.RLELossless));
        var pd = Assert.IsType<DicomFragmentSequence>(read.Dataset.GetItem(DicomTags.PixelData));
        Assert.Equal(3, pd.Fragments.Count);
        Assert.Equal(3, pd.OffsetTable.Count);
        uint expected = 0;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected, pd.OffsetTable[i]);
            expected += 8 + (uint)pd.Fragments[i].Length;
        }
        // Written again unchanged (same syntax): byte-identical pixel data item.
        DatasetAssert.Equal(read.Dataset, DicomFile.Read(read.ToBytes(DicomTransferSyntax.RLELossless)).Dataset,
            EncodingExpectation.For(DicomTransferSyntax.RLELossless));
    }

    [Fact]
    public void A_full_offset_table_with_odd_length_fragments_round_trips_padded()
    {
        var frag0 = Fragment(101, 1);
        var frag1 = Fragment(64, 2);
        var pd = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, [0u, 8u + 102u],
            [ByteSource.FromBytes(frag0), ByteSource.FromBytes(frag1)]);
        var ds = EncapsulatedImage(pd, frames: 2);
        var ts = DicomTransferSyntax.Parse(JpegBaseline);
        var read = DicomFile.Read(new DicomFile(ds, ts).ToBytes(ts));
        Assert.Equal(JpegBaseline, read.TransferSyntax.Uid);
        var got = Assert.IsType<DicomFragmentSequence>(read.Dataset.GetItem(DicomTags.PixelData));
        Assert.Equal([0u, 110u], got.OffsetTable);
        Assert.Equal([.. frag0, 0], got.Fragments[0].GetMemory().ToArray());
        Assert.Equal(frag1, got.Fragments[1].GetMemory().ToArray());
        Assert.Empty(read.Warnings); // the writer padded the odd fragment, so nothing to warn about
    }

    [Fact]
    public void An_empty_offset_table_with_several_fragments_per_frame_round_trips()
    {
        var fragments = Enumerable.Range(0, 5).Select(i => ByteSource.FromBytes(Fragment(20 + 2 * i, 10 + i))).ToArray();
        var pd = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, null, fragments);
        var ds = EncapsulatedImage(pd, frames: 2);
        var ts = DicomTransferSyntax.Parse(JpegBaseline);
        var bytes = new DicomFile(ds, ts).ToBytes(ts);

        // The BOT item is present with length 0.
        var header = bytes.AsSpan().IndexOf(new byte[] { 0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'B', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF });
        Assert.True(header > 0);
        Assert.Equal(new byte[] { 0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0 }, bytes.AsSpan(header + 12, 8).ToArray());

        var read = DicomFile.Read(bytes);
        Assert.Empty(read.Warnings);
        var got = Assert.IsType<DicomFragmentSequence>(read.Dataset.GetItem(DicomTags.PixelData));
        Assert.Empty(got.OffsetTable);
        Assert.Equal(5, got.Fragments.Count);
        for (var i = 0; i < 5; i++) Assert.Equal(fragments[i].GetMemory().ToArray(), got.Fragments[i].GetMemory().ToArray());
    }

    [Fact]
    public void Writing_without_an_offset_table_when_asked_keeps_the_empty_BOT_item()
    {
        var pd = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, [0u], [ByteSource.FromBytes(Fragment(32, 5))]);
        var ts = DicomTransferSyntax.Parse(JpegBaseline);
        var read = DicomFile.Read(new DicomFile(EncapsulatedImage(pd, 1), ts).ToBytes(ts, new DicomWriteOptions { WriteOffsetTable = false }));
        var got = Assert.IsType<DicomFragmentSequence>(read.Dataset.GetItem(DicomTags.PixelData));
        Assert.Empty(got.OffsetTable);
        Assert.Single(got.Fragments);
    }

    [Fact]
    public void Encapsulated_pixel_data_with_no_items_at_all_reads_as_empty()
    {
        // The BOT item is missing altogether: the sequence delimiter follows the header directly.
        var b = DicomByteBuilder.Part10(JpegBaseline);
        b.ExplicitText(DicomTags.SOPClassUID, "UI", SyntheticDatasets.SecondaryCaptureSopClass);
        b.ExplicitHeader(DicomTags.PixelData, "OB", DicomByteBuilder.Undefined).SequenceEnd();
        var read = DicomFile.Read(b.ToArray());
        var got = Assert.IsType<DicomFragmentSequence>(read.Dataset.GetItem(DicomTags.PixelData));
        Assert.Empty(got.OffsetTable);
        Assert.Empty(got.Fragments);
    }

    [Fact]
    public void Encapsulated_pixel_data_in_implicit_VR_is_read_as_fragments()
    {
        // Some writers use implicit VR with undefined-length Pixel Data; the reader must not take it for a sequence.
        var b = DicomByteBuilder.Part10(DicomTransferSyntax.ImplicitVRLittleEndian.Uid);
        b.ImplicitText(DicomTags.SOPClassUID, SyntheticDatasets.SecondaryCaptureSopClass, uid: true);
        b.ImplicitHeader(DicomTags.PixelData, DicomByteBuilder.Undefined);
        b.ItemStart(4).Raw(DicomByteBuilder.U32s(false, 0));
        b.ItemStart(6).Raw(new byte[] { 1, 2, 3, 4, 5, 6 });
        b.SequenceEnd();
        var read = DicomFile.Read(b.ToArray());
        var got = Assert.IsType<DicomFragmentSequence>(read.Dataset.GetItem(DicomTags.PixelData));
        Assert.Equal([0u], got.OffsetTable);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, Assert.Single(got.Fragments).GetMemory().ToArray());
    }

    [Fact]
    public void Large_fragments_stay_in_the_file_when_read_from_a_path()
    {
        var big = Fragment(200_000, 9);
        var pd = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, [0u], [ByteSource.FromBytes(big)]);
        var ts = DicomTransferSyntax.Parse(JpegBaseline);
        var path = Path.Combine(Path.GetTempPath(), $"fednano-frag-{Guid.NewGuid():N}.dcm");
        try
        {
            new DicomFile(EncapsulatedImage(pd, 1), ts).Save(path, ts);
            var read = DicomFile.Open(path);
            var got = Assert.IsType<DicomFragmentSequence>(read.Dataset.GetItem(DicomTags.PixelData));
            var fragment = Assert.IsType<FileByteSource>(Assert.Single(got.Fragments));
            Assert.Equal(big.Length, fragment.Length);
            Assert.Equal(big, fragment.GetMemory().ToArray());
            Assert.Equal(big.AsSpan(150_000, 100).ToArray(), fragment.Read(150_000, 100).ToArray());
            var onDisk = File.ReadAllBytes(path);
            Assert.Equal(big.AsSpan(0, 16).ToArray(), onDisk.AsSpan((int)fragment.Offset, 16).ToArray());
            Assert.Equal(0xE000, BinaryPrimitives.ReadUInt16LittleEndian(onDisk.AsSpan((int)fragment.Offset - 6)));
        }
        finally { File.Delete(path); }
    }
}
