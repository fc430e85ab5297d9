using System.Runtime.InteropServices;
using FedNano.Dicom;

namespace FedNano.Dicom.Tests.Pixel;

public class DicomPixelDataTests
{
    private static readonly DicomTransferSyntax Explicit = DicomTransferSyntax.ExplicitVRLittleEndian;
    private static readonly DicomTransferSyntax Rle = DicomTransferSyntax.RLELossless;

    [Fact]
    public void Reads_the_image_pixel_module()
    {
        var ds = PixelTestData.Image(4, 6, 16, new byte[4 * 6 * 2 * 3], frames: 3, bitsStored: 12, pixelRepresentation: 1);
        var pd = DicomPixelData.Create(ds, Explicit);
        Assert.Equal((4, 6, 16, 12, 11, 1, 1, 3, "MONOCHROME2"),
            (pd.Rows, pd.Columns, pd.BitsAllocated, pd.BitsStored, pd.HighBit, pd.PixelRepresentation, pd.SamplesPerPixel, pd.FrameCount, pd.PhotometricInterpretation));
        Assert.Equal(48, pd.FrameLength);
    }

    [Fact]
    public void Number_of_frames_defaults_to_one()
    {
        var pd = DicomPixelData.Create(PixelTestData.Image(2, 2, 8, new byte[4]), Explicit);
        Assert.Equal(1, pd.FrameCount);
    }

    [Fact]
    public void Native_multi_frame_GetFrameBytes_returns_each_frame()
    {
        var all = PixelTestData.RandomBytes(3 * 5 * 7 * 2, 1);
        var pd = DicomPixelData.Create(PixelTestData.Image(5, 7, 16, all, frames: 3), Explicit);
        for (var f = 0; f < 3; f++)
            Assert.Equal(all.AsSpan(f * 70, 70).ToArray(), pd.GetFrameBytes(f).ToArray());
    }

    [Fact]
    public void Native_frame_locations_are_byte_offsets_within_pixel_data()
    {
        var pd = DicomPixelData.Create(PixelTestData.Image(2, 3, 16, new byte[4 * 12], frames: 4), Explicit);
        Assert.Equal([0L, 12, 24, 36], pd.FrameLocations.Select(l => l.Offset));
        Assert.All(pd.FrameLocations, l => Assert.Equal(12, l.Length));
        Assert.All(pd.FrameLocations, l => Assert.False(l.IsEncapsulated));
        Assert.Equal([(0L, 12L), (12L, 12L), (24L, 12L), (36L, 12L)], DicomPixelData.ComputeNativeFrameOffsets(2, 3, 1, 16, 4));
    }

    [Fact]
    public void Native_frames_of_a_file_are_read_by_range_without_loading_the_pixel_data()
    {
        const int rows = 256, columns = 256, frames = 4;
        var all = PixelTestData.RandomBytes(rows * columns * 2 * frames, 2);
        var path = Path.Combine(Path.GetTempPath(), $"fednano-pixel-{Guid.NewGuid():N}.dcm");
        try
        {
            new DicomFile(PixelTestData.Image(rows, columns, 16, all, frames: frames)).Save(path);
            var file = DicomFile.Open(path);
            var element = Assert.IsType<DicomElement>(file.Dataset.GetItem(DicomTags.PixelData));
            Assert.False(element.Value.IsInMemory);
            var pd = DicomPixelData.Create(file.Dataset, file.TransferSyntax);
            Assert.Equal(all.AsSpan(3 * rows * columns * 2, rows * columns * 2).ToArray(), pd.GetFrameBytes(3).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Signed_12_bit_values_in_16_bits_are_sign_extended_and_high_bits_ignored()
    {
        short[] expected = [-2048, -1, 0, 1, 2047, -100];
        var stored = expected.Select(v => (ushort)((v & 0x0FFF) | 0xA000)).ToArray(); // garbage in bits 12-15
        var ds = PixelTestData.Image(2, 3, 16, MemoryMarshal.AsBytes(stored.AsSpan()).ToArray(), bitsStored: 12, pixelRepresentation: 1);
        var pd = DicomPixelData.Create(ds, Explicit);
        Assert.Equal(expected, pd.GetFrame<short>(0));
        Assert.Equal(expected.Select(v => (int)v), pd.GetFrame<int>(0));
    }

    [Fact]
    public void Unsigned_12_bit_values_are_masked_to_bits_stored()
    {
        ushort[] stored = [0xF000, 0xFFFF, 0x0123];
        var ds = PixelTestData.Image(1, 3, 16, MemoryMarshal.AsBytes(stored.AsSpan()).ToArray(), bitsStored: 12);
        Assert.Equal(new ushort[] { 0, 0x0FFF, 0x0123 }, DicomPixelData.Create(ds, Explicit).GetFrame<ushort>(0));
    }

    [Fact]
    public void Values_are_taken_below_a_high_bit_that_is_not_bits_stored_minus_one()
    {
        ushort[] stored = [0x0FF0, 0x0010];
        var ds = PixelTestData.Image(1, 2, 16, MemoryMarshal.AsBytes(stored.AsSpan()).ToArray(), bitsStored: 8);
        ds.AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)11);
        Assert.Equal(new byte[] { 0xFF, 0x01 }, DicomPixelData.Create(ds, Explicit).GetFrame<byte>(0));
    }

    [Fact]
    public void Values_that_do_not_fit_the_requested_type_throw_DicomDataException()
    {
        ushort[] stored = [300];
        var ds = PixelTestData.Image(1, 1, 16, MemoryMarshal.AsBytes(stored.AsSpan()).ToArray());
        Assert.Throws<DicomDataException>(() => DicomPixelData.Create(ds, Explicit).GetFrame<byte>(0));
    }

    [Fact]
    public void Full_width_signed_16_bit_frames_are_copied_as_short()
    {
        short[] values = [short.MinValue, -1, 0, short.MaxValue];
        var ds = PixelTestData.Image(2, 2, 16, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), pixelRepresentation: 1);
        Assert.Equal(values, DicomPixelData.Create(ds, Explicit).GetFrame<short>(0));
    }

    [Fact]
    public void Single_bit_frames_that_do_not_start_on_a_byte_boundary_are_realigned()
    {
        // 2 frames of 3 x 3 = 9 bits each: frame 1 starts at bit 9.
        bool[] f0 = [true, false, true, true, false, false, true, true, true];
        bool[] f1 = [false, true, true, false, true, false, false, false, true];
        var bits = f0.Concat(f1).ToArray();
        var packed = new byte[4];
        for (var i = 0; i < bits.Length; i++) if (bits[i]) packed[i / 8] |= (byte)(1 << (i % 8));
        var pd = DicomPixelData.Create(PixelTestData.Image(3, 3, 1, packed, frames: 2, bitsStored: 1), Explicit);
        Assert.Equal(2, pd.FrameLength);
        Assert.Equal(f1.Select(b => b ? (byte)1 : (byte)0), pd.GetFrame<byte>(1));
        Assert.Equal(f0.Select(b => b ? (byte)1 : (byte)0), pd.GetFrame<byte>(0));
        Assert.Equal(1, pd.FrameLocations[1].Offset);
        Assert.Equal(1, pd.FrameLocations[1].BitOffset);
    }

    [Fact]
    public void Modality_values_apply_rescale_slope_and_intercept()
    {
        short[] values = [0, 1000, -1000];
        var ds = PixelTestData.Image(1, 3, 16, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), pixelRepresentation: 1)
            .AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, "0.5")
            .AddOrUpdate(DicomTags.RescaleIntercept, DicomVR.DS, "-1024");
        Assert.Equal(new[] { -1024.0, -524, -1524 }, DicomPixelData.Create(ds, Explicit).GetModalityValues(0));
    }

    [Fact]
    public void Modality_values_default_to_the_stored_values()
    {
        var ds = PixelTestData.Image(1, 2, 8, [3, 200]);
        Assert.Equal(new[] { 3.0, 200 }, DicomPixelData.Create(ds, Explicit).GetModalityValues(0));
    }

    [Fact]
    public void Pixel_data_shorter_than_the_frames_throws_naming_the_numbers()
    {
        var ds = PixelTestData.Image(10, 10, 16, new byte[399], frames: 2);
        var e = Assert.Throws<DicomDataException>(() => DicomPixelData.Create(ds, Explicit));
        Assert.Contains("399", e.Message);
        Assert.Contains("400", e.Message);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(0)]
    [InlineData(24)]
    public void Unsupported_bits_allocated_throws_DicomDataException(int bits)
    {
        var ds = PixelTestData.Image(2, 2, 8, new byte[64]).AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)bits);
        var e = Assert.Throws<DicomDataException>(() => DicomPixelData.Create(ds, Explicit));
        Assert.Contains("Bits Allocated", e.Message);
    }

    [Fact]
    public void Zero_rows_throws_DicomDataException()
    {
        var ds = PixelTestData.Image(2, 2, 8, new byte[4]).AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)0);
        Assert.Throws<DicomDataException>(() => DicomPixelData.Create(ds, Explicit));
    }

    [Fact]
    public void Missing_columns_throws_DicomDataException()
    {
        var ds = PixelTestData.Image(2, 2, 8, new byte[4]);
        ds.Remove(DicomTags.Columns);
        var e = Assert.Throws<DicomDataException>(() => DicomPixelData.Create(ds, Explicit));
        Assert.Contains("Columns", e.Message);
    }

    [Fact]
    public void Missing_pixel_data_throws_DicomDataException()
    {
        var ds = PixelTestData.Image(2, 2, 8, new byte[4]);
        ds.Remove(DicomTags.PixelData);
        Assert.Throws<DicomDataException>(() => DicomPixelData.Create(ds, Explicit));
    }

    [Fact]
    public void Absurd_number_of_frames_throws_DicomDataException()
    {
        var ds = PixelTestData.Image(512, 512, 16, new byte[512 * 512 * 2]).AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, "2000000000");
        Assert.Throws<DicomDataException>(() => DicomPixelData.Create(ds, Explicit));
    }

    [Fact]
    public void Frame_index_out_of_range_throws_ArgumentOutOfRangeException()
    {
        var pd = DicomPixelData.Create(PixelTestData.Image(2, 2, 8, new byte[8], frames: 2), Explicit);
        Assert.Throws<ArgumentOutOfRangeException>(() => pd.GetFrameBytes(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => pd.GetFrameBytes(-1));
    }

    // ------------------------------------------------------------ encapsulated

    private static (DicomDataset Dataset, byte[] Native, byte[][] Encoded) RleMultiFrame(int frames, int rows = 6, int columns = 9, int bits = 16)
    {
        var frameLength = PixelTestData.FrameLength(rows, columns, bits, 1);
        var native = PixelTestData.StructuredBytes(frameLength * frames, 3);
        var encoded = Enumerable.Range(0, frames)
            .Select(f => RleCodec.EncodeFrame(native.AsSpan(f * frameLength, frameLength), rows, columns, 1, bits, 0)).ToArray();
        var ds = PixelTestData.Image(rows, columns, bits, native, frames: frames);
        return (ds, native, encoded);
    }

    [Fact]
    public void RLE_frames_are_found_by_the_basic_offset_table()
    {
        var (ds, native, encoded) = RleMultiFrame(3);
        // Split frame 1 into two fragments: the BOT is then the only way to find frame 2.
        var fragments = new List<byte[]> { encoded[0], encoded[1][..64], encoded[1][64..], encoded[2] };
        var offsets = new List<uint> { 0, (uint)(8 + encoded[0].Length), (uint)(8 + encoded[0].Length + 8 + 64 + 8 + encoded[1].Length - 64) };
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, offsets, fragments.Select(f => ByteSource.FromBytes(f))));
        var pd = DicomPixelData.Create(ds, Rle);
        var frameLength = (int)pd.FrameLength;
        for (var f = 0; f < 3; f++)
            Assert.Equal(native.AsSpan(f * frameLength, frameLength).ToArray(), pd.GetFrameBytes(f).ToArray());
        Assert.Equal([(0, 1), (1, 2), (3, 1)], pd.FrameLocations.Select(l => (l.FirstFragment, l.FragmentCount)));
    }

    [Fact]
    public void RLE_frames_with_an_empty_offset_table_take_one_fragment_each()
    {
        var (ds, native, encoded) = RleMultiFrame(4);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, null, encoded.Select(f => ByteSource.FromBytes(f))));
        var pd = DicomPixelData.Create(ds, Rle);
        var frameLength = (int)pd.FrameLength;
        for (var f = 0; f < 4; f++)
            Assert.Equal(native.AsSpan(f * frameLength, frameLength).ToArray(), pd.GetFrameBytes(f).ToArray());
    }

    [Fact]
    public void RLE_frames_with_an_empty_offset_table_and_several_fragments_per_frame_are_found_by_their_headers()
    {
        var (ds, native, encoded) = RleMultiFrame(2);
        var fragments = encoded.SelectMany(e => new[] { e[..70], e[70..] }).Select(f => ByteSource.FromBytes(f));
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, null, fragments));
        var pd = DicomPixelData.Create(ds, Rle);
        Assert.Equal(native.AsSpan((int)pd.FrameLength).ToArray(), pd.GetFrameBytes(1).ToArray());
    }

    [Fact]
    public void A_single_frame_takes_all_fragments()
    {
        var (ds, native, encoded) = RleMultiFrame(1);
        var e = encoded[0];
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, null,
            [ByteSource.FromBytes(e[..10]), ByteSource.FromBytes(e[10..80]), ByteSource.FromBytes(e[80..])]));
        Assert.Equal(native, DicomPixelData.Create(ds, Rle).GetFrameBytes(0).ToArray());
    }

    [Fact]
    public void Encapsulated_frame_locations_are_fragment_ranges_with_offset_table_offsets()
    {
        var (ds, _, encoded) = RleMultiFrame(3);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, null, encoded.Select(f => ByteSource.FromBytes(f))));
        var locations = DicomPixelData.Create(ds, Rle).FrameLocations;
        Assert.Equal([0, 1, 2], locations.Select(l => l.FirstFragment));
        Assert.Equal([0L, 8 + encoded[0].Length, 16 + encoded[0].Length + encoded[1].Length], locations.Select(l => l.Offset));
        Assert.Equal(encoded.Select(e => (long)e.Length), locations.Select(l => l.Length));
    }

    [Fact]
    public void Encapsulated_frames_in_other_syntaxes_are_returned_compressed_but_not_decoded()
    {
        var jpeg = DicomTransferSyntax.Parse("1.2.840.10008.1.2.4.50");
        var ds = PixelTestData.Image(2, 2, 8, new byte[4], frames: 2);
        byte[] f0 = [0xFF, 0xD8, 1, 2, 0xFF, 0xD9], f1 = [0xFF, 0xD8, 3, 4, 0xFF, 0xD9];
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, null, [ByteSource.FromBytes(f0), ByteSource.FromBytes(f1)]));
        var pd = DicomPixelData.Create(ds, jpeg);
        Assert.Equal(f1, pd.GetEncapsulatedFrame(1).ToArray());
        var e = Assert.Throws<DicomDataException>(() => pd.GetFrameBytes(0));
        Assert.Contains("1.2.840.10008.1.2.4.50", e.Message);
        Assert.Contains("cannot be decoded by this codec", e.Message);
    }

    [Fact]
    public void JPEG_frames_with_an_empty_offset_table_are_found_by_their_start_markers()
    {
        var jpeg = DicomTransferSyntax.Parse("1.2.840.10008.1.2.4.70");
        var ds = PixelTestData.Image(2, 2, 8, new byte[4], frames: 2);
        byte[][] parts = [[0xFF, 0xD8, 1, 2], [5, 6, 0xFF, 0xD9], [0xFF, 0xD8, 3, 4], [0xFF, 0xD9]];
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, null, parts.Select(p => ByteSource.FromBytes(p))));
        var pd = DicomPixelData.Create(ds, jpeg);
        Assert.Equal(new byte[] { 0xFF, 0xD8, 1, 2, 5, 6, 0xFF, 0xD9 }, pd.GetEncapsulatedFrame(0).ToArray());
        Assert.Equal(new byte[] { 0xFF, 0xD8, 3, 4, 0xFF, 0xD9 }, pd.GetEncapsulatedFrame(1).ToArray());
    }

    [Fact]
    public void Ambiguous_fragments_throw_DicomDataException()
    {
        var ds = PixelTestData.Image(2, 2, 8, new byte[4], frames: 2);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, null,
            [ByteSource.FromBytes(new byte[] { 1, 2 }), ByteSource.FromBytes(new byte[] { 3, 4 }), ByteSource.FromBytes(new byte[] { 5, 6 })]));
        var pd = DicomPixelData.Create(ds, DicomTransferSyntax.Parse("1.2.840.10008.1.2.4.50"));
        var e = Assert.Throws<DicomDataException>(() => pd.GetEncapsulatedFrame(0));
        Assert.Contains("3 fragments", e.Message);
    }

    [Fact]
    public void Fewer_fragments_than_frames_throws_DicomDataException()
    {
        var ds = PixelTestData.Image(2, 2, 8, new byte[4], frames: 3);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, null, [ByteSource.FromBytes(new byte[] { 1, 2 })]));
        Assert.Throws<DicomDataException>(() => DicomPixelData.Create(ds, Rle));
    }

    [Fact]
    public void Malformed_RLE_frame_throws_DicomDataException_naming_the_frame()
    {
        var ds = PixelTestData.Image(2, 2, 8, new byte[4]);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, null, [ByteSource.FromBytes(new byte[70])]));
        var e = Assert.Throws<DicomDataException>(() => DicomPixelData.Create(ds, Rle).GetFrameBytes(0));
        Assert.Contains("frame 0", e.Message);
    }
}
