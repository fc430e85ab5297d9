using System.Buffers.Binary;
using FedNano.Dicom;

namespace FedNano.Dicom.Tests.Pixel;

public class RleCodecTests
{
    public static TheoryData<int, int, int, int, int> Geometries()
    {
        var data = new TheoryData<int, int, int, int, int>();
        foreach (var bits in new[] { 8, 16, 32 })
        {
            data.Add(5, 7, bits, 1, 0);
            data.Add(3, 257, bits, 1, 0);
            data.Add(4, 129, bits, 3, 0);
            data.Add(4, 129, bits, 3, 1);
            data.Add(1, 1, bits, 3, 1);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Round_trip_reproduces_a_random_frame(int rows, int columns, int bits, int samples, int planar)
    {
        var frame = PixelTestData.RandomBytes(PixelTestData.FrameLength(rows, columns, bits, samples), seed: rows * 1000 + columns + bits);
        var encoded = RleCodec.EncodeFrame(frame, rows, columns, samples, bits, planar);
        Assert.Equal(frame, RleCodec.DecodeFrame(encoded, rows, columns, samples, bits, planar));
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Round_trip_reproduces_a_frame_of_runs_that_cross_row_boundaries(int rows, int columns, int bits, int samples, int planar)
    {
        var frame = PixelTestData.StructuredBytes(PixelTestData.FrameLength(rows, columns, bits, samples), seed: columns + bits);
        var encoded = RleCodec.EncodeFrame(frame, rows, columns, samples, bits, planar);
        Assert.Equal(frame, RleCodec.DecodeFrame(encoded, rows, columns, samples, bits, planar));
    }

    [Theory]
    [InlineData(8, 1)]
    [InlineData(16, 3)]
    [InlineData(32, 3)]
    public void Round_trip_reproduces_a_constant_frame(int bits, int samples)
    {
        var frame = new byte[PixelTestData.FrameLength(300, 301, bits, samples)];
        Array.Fill(frame, (byte)0xA5);
        var encoded = RleCodec.EncodeFrame(frame, 300, 301, samples, bits, 0);
        Assert.True(encoded.Length < frame.Length / 20, $"a constant frame should compress well ({encoded.Length} bytes)");
        Assert.Equal(frame, RleCodec.DecodeFrame(encoded, 300, 301, samples, bits, 0));
    }

    [Fact]
    public void Decoding_produces_the_requested_planar_configuration()
    {
        // 2 pixels RGB: (1,2,3) (4,5,6)
        byte[] interleaved = [1, 2, 3, 4, 5, 6];
        byte[] planar = [1, 4, 2, 5, 3, 6];
        var encoded = RleCodec.EncodeFrame(interleaved, 1, 2, 3, 8, 0);
        Assert.Equal(encoded, RleCodec.EncodeFrame(planar, 1, 2, 3, 8, 1));
        Assert.Equal(planar, RleCodec.DecodeFrame(encoded, 1, 2, 3, 8, 1));
        Assert.Equal(interleaved, RleCodec.DecodeFrame(encoded, 1, 2, 3, 8, 0));
    }

    [Fact]
    public void Runs_are_encoded_per_row_and_never_cross_a_row_boundary()
    {
        // 3 rows x 200 columns of one value: each row is a 128-byte run and a 72-byte run.
        var frame = new byte[600];
        Array.Fill(frame, (byte)9);
        var encoded = RleCodec.EncodeFrame(frame, 3, 200, 1, 8, 0);
        byte[] row = [unchecked((byte)-127), 9, unchecked((byte)-71), 9];
        Assert.Equal(row.Concat(row).Concat(row), encoded.Skip(RleCodec.HeaderLength));
    }

    [Fact]
    public void Three_byte_repeats_are_replicate_runs_and_other_bytes_literal_runs()
    {
        var encoded = RleCodec.EncodeFrame(new byte[] { 1, 2, 3, 3, 3, 4 }, 1, 6, 1, 8, 0);
        byte[] expected = [0x01, 1, 2, 0xFE, 3, 0x00, 4, 0x00 /* pad to even */];
        Assert.Equal(expected, encoded.Skip(RleCodec.HeaderLength));
    }

    [Fact]
    public void Literal_runs_are_at_most_128_bytes()
    {
        var frame = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();
        var encoded = RleCodec.EncodeFrame(frame, 1, 200, 1, 8, 0);
        Assert.Equal(127, encoded[RleCodec.HeaderLength]);
        Assert.Equal(71, encoded[RleCodec.HeaderLength + 1 + 128]);
    }

    [Fact]
    public void Header_holds_the_segment_count_and_even_offsets_and_segments_are_most_significant_byte_first()
    {
        // One 16-bit pixel 0x1234 (little-endian 34 12): segment 1 = MSB 0x12, segment 2 = LSB 0x34.
        var encoded = RleCodec.EncodeFrame(new byte[] { 0x34, 0x12 }, 1, 1, 1, 16, 0);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(encoded));
        Assert.Equal(64u, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(4)));
        Assert.Equal(66u, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(8)));
        Assert.All(Enumerable.Range(3, 13), i => Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(4 * i))));
        Assert.Equal(new byte[] { 0x00, 0x12, 0x00, 0x34 }, encoded.Skip(64));
    }

    [Fact]
    public void Every_segment_has_even_length()
    {
        var frame = PixelTestData.RandomBytes(PixelTestData.FrameLength(3, 5, 16, 3), 7);
        var encoded = RleCodec.EncodeFrame(frame, 3, 5, 3, 16, 0);
        var count = BinaryPrimitives.ReadUInt32LittleEndian(encoded);
        Assert.Equal(6u, count);
        for (var i = 0; i < count; i++)
            Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(4 + 4 * i)) % 2);
        Assert.Equal(0, encoded.Length % 2);
    }

    /// <summary>A fragment built by hand following PS3.5 §G.3.2 and §G.5: replicate, literal and no-op (-128) runs.</summary>
    [Fact]
    public void Decodes_a_hand_made_fragment_with_replicate_literal_and_no_op_runs()
    {
        var fragment = new byte[64 + 10];
        BinaryPrimitives.WriteUInt32LittleEndian(fragment, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(fragment.AsSpan(4), 64);
        byte[] segment = [0xFD, 7, 0x80, 0x01, 1, 2, 0xFF, 5, 0x00, 0x00];
        segment.CopyTo(fragment, 64);
        Assert.Equal(new byte[] { 7, 7, 7, 7, 1, 2, 5, 5 }, RleCodec.DecodeFrame(fragment, 2, 4, 1, 8, 0));
    }

    [Fact]
    public void Decodes_a_hand_made_16_bit_fragment_into_little_endian_values()
    {
        // 2 pixels 0x0102, 0x0102: MSB segment = replicate 2 x 0x01, LSB segment = replicate 2 x 0x02.
        var fragment = new byte[64 + 4];
        BinaryPrimitives.WriteUInt32LittleEndian(fragment, 2);
        BinaryPrimitives.WriteUInt32LittleEndian(fragment.AsSpan(4), 64);
        BinaryPrimitives.WriteUInt32LittleEndian(fragment.AsSpan(8), 66);
        new byte[] { 0xFF, 0x01, 0xFF, 0x02 }.CopyTo(fragment, 64);
        Assert.Equal(new byte[] { 0x02, 0x01, 0x02, 0x01 }, RleCodec.DecodeFrame(fragment, 1, 2, 1, 16, 0));
    }

    [Fact]
    public void Decoding_ignores_bytes_after_the_plane_is_complete()
    {
        var fragment = new byte[64 + 6];
        BinaryPrimitives.WriteUInt32LittleEndian(fragment, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(fragment.AsSpan(4), 64);
        new byte[] { 0xFF, 3, 0x00, 9, 0x00, 0x00 }.CopyTo(fragment, 64);
        Assert.Equal(new byte[] { 3, 3 }, RleCodec.DecodeFrame(fragment, 1, 2, 1, 8, 0));
    }

    public static TheoryData<string, byte[]> MalformedFragments()
    {
        static byte[] Fragment(uint count, uint[] offsets, params byte[] body)
        {
            var f = new byte[64 + body.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(f, count);
            for (var i = 0; i < offsets.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(4 + 4 * i), offsets[i]);
            body.CopyTo(f, 64);
            return f;
        }
        return new TheoryData<string, byte[]>
        {
            { "shorter than the header", new byte[10] },
            { "16 segments", Fragment(16, [64], 0xFD, 1) },
            { "wrong segment count", Fragment(2, [64, 66], 0xFD, 1, 0xFD, 1) },
            { "offset beyond the fragment", Fragment(1, [5000], 0xFD, 1) },
            { "offset inside the header", Fragment(1, [8], 0xFD, 1) },
            { "replicate run overflows the plane", Fragment(1, [64], 0x81, 1) },
            { "literal run overflows the plane", Fragment(1, [64], 0x07, 1, 2, 3, 4, 5, 6, 7, 8) },
            { "literal run overruns the segment", Fragment(1, [64], 0x03, 1, 2) },
            { "segment too short", Fragment(1, [64], 0xFF, 1) },
            { "replicate run without its byte", Fragment(1, [64], 0x00, 1, 0xFE) },
            { "empty segment", Fragment(1, [64]) },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedFragments))]
    public void Malformed_fragment_throws_DicomDataException(string problem, byte[] fragment)
    {
        var e = Assert.Throws<DicomDataException>(() => RleCodec.DecodeFrame(fragment, 1, 4, 1, 8, 0));
        Assert.False(string.IsNullOrWhiteSpace(e.Message), problem);
    }

    [Fact]
    public void Segment_offsets_out_of_order_throw_DicomDataException()
    {
        var fragment = new byte[64 + 8];
        BinaryPrimitives.WriteUInt32LittleEndian(fragment, 2);
        BinaryPrimitives.WriteUInt32LittleEndian(fragment.AsSpan(4), 68);
        BinaryPrimitives.WriteUInt32LittleEndian(fragment.AsSpan(8), 64);
        var e = Assert.Throws<DicomDataException>(() => RleCodec.DecodeFrame(fragment, 1, 2, 1, 16, 0));
        Assert.Contains("before segment", e.Message);
    }

    [Fact]
    public void Random_garbage_never_throws_anything_but_DicomDataException()
    {
        var rnd = new Random(42);
        for (var i = 0; i < 2000; i++)
        {
            var fragment = new byte[rnd.Next(0, 200)];
            rnd.NextBytes(fragment);
            if (fragment.Length >= 8 && rnd.Next(2) == 0)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(fragment, 1);
                BinaryPrimitives.WriteUInt32LittleEndian(fragment.AsSpan(4), 64);
            }
            try { RleCodec.DecodeFrame(fragment, 4, 4, 1, 8, 0); }
            catch (DicomDataException) { }
        }
    }

    [Theory]
    [InlineData(12, 1)]
    [InlineData(8, 2)]
    [InlineData(64, 3)]
    public void Unsupported_geometry_throws_DicomDataException(int bits, int samples)
    {
        Assert.Throws<DicomDataException>(() => RleCodec.EncodeFrame(new byte[16], 2, 2, samples, bits, 0));
    }

    [Fact]
    public void Encoding_a_frame_of_the_wrong_length_throws_DicomDataException()
    {
        var e = Assert.Throws<DicomDataException>(() => RleCodec.EncodeFrame(new byte[15], 4, 4, 1, 8, 0));
        Assert.Contains("16", e.Message);
    }
}
