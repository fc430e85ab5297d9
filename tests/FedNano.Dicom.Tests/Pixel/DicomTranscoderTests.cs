using FedNano.Dicom;

namespace FedNano.Dicom.Tests.Pixel;

public class DicomTranscoderTests
{
    private static readonly DicomTransferSyntax Explicit = DicomTransferSyntax.ExplicitVRLittleEndian;
    private static readonly DicomTransferSyntax Implicit = DicomTransferSyntax.ImplicitVRLittleEndian;
    private static readonly DicomTransferSyntax Rle = DicomTransferSyntax.RLELossless;

    [Fact]
    public void Native_to_native_returns_the_same_instance()
    {
        var ds = PixelTestData.Image(2, 2, 8, new byte[4]);
        Assert.Same(ds, DicomTranscoder.Transcode(ds, Explicit, Implicit));
    }

    [Fact]
    public void Same_syntax_returns_the_same_instance()
    {
        var ds = PixelTestData.Image(2, 2, 8, new byte[4]);
        Assert.Same(ds, DicomTranscoder.Transcode(ds, Rle, Rle));
    }

    [Fact]
    public void Dataset_without_pixel_data_transcodes_freely()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.PatientID, "X");
        Assert.Same(ds, DicomTranscoder.Transcode(ds, DicomTransferSyntax.Parse("1.2.840.10008.1.2.4.50"), Explicit));
        Assert.Same(ds, DicomTranscoder.Transcode(ds, Explicit, Rle));
    }

    [Fact]
    public void Native_to_RLE_writes_one_fragment_per_frame_with_a_basic_offset_table()
    {
        var native = PixelTestData.StructuredBytes(3 * 4 * 5 * 2, 11);
        var rle = DicomTranscoder.Transcode(PixelTestData.Image(4, 5, 16, native, frames: 3), Explicit, Rle);
        var fragments = Assert.IsType<DicomFragmentSequence>(rle.GetItem(DicomTags.PixelData));
        Assert.Equal(3, fragments.Fragments.Count);
        Assert.Equal(
            [0u, (uint)(8 + fragments.Fragments[0].Length), (uint)(16 + fragments.Fragments[0].Length + fragments.Fragments[1].Length)],
            fragments.OffsetTable);
    }

    [Fact]
    public void RLE_to_native_decodes_every_frame_into_OW_for_16_bit_data()
    {
        var native = PixelTestData.RandomBytes(2 * 4 * 5 * 2, 12);
        var rle = DicomTranscoder.Transcode(PixelTestData.Image(4, 5, 16, native, frames: 2), Explicit, Rle);
        var back = DicomTranscoder.Transcode(rle, Rle, Explicit);
        var element = Assert.IsType<DicomElement>(back.GetItem(DicomTags.PixelData));
        Assert.Equal(DicomVR.OW, element.VR);
        Assert.Equal(native, element.Value.GetMemory().ToArray());
    }

    [Fact]
    public void RLE_to_native_uses_OB_for_8_bit_data()
    {
        var rle = DicomTranscoder.Transcode(PixelTestData.Image(2, 2, 8, [1, 2, 3, 4]), Explicit, Rle);
        Assert.Equal(DicomVR.OB, DicomTranscoder.Transcode(rle, Rle, Explicit).GetItem(DicomTags.PixelData)!.VR);
    }

    [Fact]
    public void Transcoding_does_not_modify_the_input_dataset()
    {
        var ds = PixelTestData.Image(2, 2, 8, [1, 2, 3, 4], samples: 1);
        var item = new DicomDataset().AddOrUpdate(DicomTags.CodeValue, "X");
        ds.AddOrUpdate(DicomTags.ReferencedImageSequence, item);
        var pixelItem = ds.GetItem(DicomTags.PixelData);
        var before = ds.Items.ToArray();

        var rle = DicomTranscoder.Transcode(ds, Explicit, Rle);

        Assert.NotSame(ds, rle);
        Assert.Same(pixelItem, ds.GetItem(DicomTags.PixelData));
        Assert.Equal(before, ds.Items);
        Assert.Same(ds, item.Parent);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Color_keeps_its_planar_configuration_and_byte_layout_through_RLE(int planar)
    {
        var native = PixelTestData.RandomBytes(3 * 4 * 3, 13 + planar);
        var ds = PixelTestData.Image(3, 4, 8, native, samples: 3, planar: planar);
        var rle = DicomTranscoder.Transcode(ds, Explicit, Rle);
        Assert.Equal(planar, rle.GetValue<int>(DicomTags.PlanarConfiguration));
        var back = DicomTranscoder.Transcode(rle, Rle, Explicit);
        Assert.Equal(native, PixelTestData.NativePixelBytes(back));
    }

    [Fact]
    public void JPEG_pixel_data_cannot_be_decoded_and_the_error_names_the_syntax()
    {
        var jpeg = DicomTransferSyntax.Parse("1.2.840.10008.1.2.4.50");
        var ds = PixelTestData.Image(2, 2, 8, new byte[4]);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, null, [ByteSource.FromBytes(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 })]));
        var e = Assert.Throws<DicomDataException>(() => DicomTranscoder.Transcode(ds, jpeg, Explicit));
        Assert.Equal($"pixel data in {jpeg} cannot be decoded by this codec", e.Message);
        Assert.Contains("(1.2.840.10008.1.2.4.50)", e.Message);
        Assert.Throws<DicomDataException>(() => DicomTranscoder.Transcode(ds, jpeg, Rle));
    }

    [Fact]
    public void Native_cannot_be_encoded_in_JPEG()
    {
        var ds = PixelTestData.Image(2, 2, 8, new byte[4]);
        Assert.Throws<DicomDataException>(() => DicomTranscoder.Transcode(ds, Explicit, DicomTransferSyntax.Parse("1.2.840.10008.1.2.4.50")));
    }

    [Theory]
    [InlineData(8, 1, 1)]
    [InlineData(16, 1, 3)]
    [InlineData(32, 1, 2)]
    [InlineData(8, 3, 2)]
    [InlineData(16, 3, 1)]
    [InlineData(8, 3, 1, 1)]
    public void Explicit_LE_to_RLE_and_back_through_files_preserves_pixel_bytes(int bits, int samples, int frames, int planar = 0)
    {
        const int rows = 17, columns = 31;
        var native = PixelTestData.StructuredBytes(PixelTestData.FrameLength(rows, columns, bits, samples) * frames, bits + samples);
        var original = new DicomFile(PixelTestData.Image(rows, columns, bits, native, samples: samples, frames: frames, planar: planar));

        var rleBytes = original.ToBytes(Rle);
        var rleFile = DicomFile.Read(rleBytes);
        Assert.Equal(Rle, rleFile.TransferSyntax);
        Assert.IsType<DicomFragmentSequence>(rleFile.Dataset.GetItem(DicomTags.PixelData));

        var back = DicomFile.Read(rleFile.ToBytes(Explicit));
        Assert.Equal(Explicit, back.TransferSyntax);
        var pixels = PixelTestData.NativePixelBytes(back.Dataset);
        Assert.Equal(native.Length + (native.Length & 1), pixels.Length); // odd values are padded to even length
        Assert.Equal(native, pixels[..native.Length]);
    }

    [Fact]
    public void Saving_a_JPEG_file_as_explicit_LE_fails_naming_the_syntax()
    {
        var jpeg = DicomTransferSyntax.Parse("1.2.840.10008.1.2.4.50");
        var ds = PixelTestData.Image(2, 2, 8, new byte[4]);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, null, [ByteSource.FromBytes(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 })]));
        var file = new DicomFile(ds, jpeg);
        var e = Assert.Throws<DicomDataException>(() => file.ToBytes(Explicit));
        Assert.Contains("1.2.840.10008.1.2.4.50", e.Message);
    }
}
