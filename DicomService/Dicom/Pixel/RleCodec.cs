using System.Buffers;
using System.Buffers.Binary;

namespace FedNano.Dicom;

/// <summary>
/// DICOM RLE Lossless (PS3.5 Annex G): one frame is one fragment made of a 64-byte header (segment count and
/// up to 15 segment offsets) followed by one PackBits-compressed segment per byte plane of each sample, most
/// significant byte plane first. Native frames are little-endian, in the planar configuration the caller names.
/// </summary>
public static class RleCodec
{
    /// <summary>Size of the RLE header that starts every frame (PS3.5 §G.5).</summary>
    public const int HeaderLength = 64;

    /// <summary>The most segments an RLE header can describe.</summary>
    public const int MaxSegments = 15;

    /// <summary>Longest literal or replicate run PackBits can express.</summary>
    private const int MaxRun = 128;

    /// <summary>
    /// Encodes one native frame (little-endian, <paramref name="planarConfiguration"/> 0 = interleaved samples,
    /// 1 = one plane per sample) into one RLE fragment. Each row of each byte plane is encoded separately, so
    /// no run crosses a row boundary (PS3.5 §G.3.1); each segment is padded to even length.
    /// </summary>
    /// <exception cref="DicomDataException">The geometry is not supported by RLE or the frame has the wrong length.</exception>
    public static byte[] EncodeFrame(ReadOnlySpan<byte> frame, int rows, int columns, int samplesPerPixel, int bitsAllocated, int planarConfiguration)
    {
        var g = Geometry.Create(rows, columns, samplesPerPixel, bitsAllocated, planarConfiguration);
        if (frame.Length != g.FrameLength)
            throw new DicomDataException($"RLE encoder: frame has {frame.Length} bytes but {rows} rows x {columns} columns x {samplesPerPixel} samples x {bitsAllocated / 8} bytes need {g.FrameLength}.");

        // Worst case per row: one control byte per 128 literal bytes; plus one pad byte per segment.
        long perRowMax = columns + (columns + MaxRun - 1) / MaxRun;
        long capacity = HeaderLength + g.Segments * (rows * perRowMax + 1);
        if (capacity > Array.MaxLength)
            throw new DicomDataException($"RLE encoder: frame of {g.FrameLength} bytes is too large to encode as one fragment.");

        var output = ArrayPool<byte>.Shared.Rent((int)capacity);
        var scratch = ArrayPool<byte>.Shared.Rent(columns);
        try
        {
            var outSpan = output.AsSpan(0, (int)capacity);
            outSpan[..HeaderLength].Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(outSpan, (uint)g.Segments);
            var pos = HeaderLength;
            var row = scratch.AsSpan(0, columns);
            for (var segment = 0; segment < g.Segments; segment++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(outSpan[(4 + 4 * segment)..], (uint)pos);
                var (start, stride) = g.SegmentLayout(segment);
                for (var r = 0; r < rows; r++)
                {
                    var rowStart = start + (long)r * columns * stride;
                    if (stride == 1)
                        pos += PackBits(frame.Slice((int)rowStart, columns), outSpan[pos..]);
                    else
                    {
                        var src = (int)rowStart;
                        for (var c = 0; c < columns; c++, src += stride) row[c] = frame[src];
                        pos += PackBits(row, outSpan[pos..]);
                    }
                }
                if ((pos & 1) != 0) outSpan[pos++] = 0; // even-length segments (PS3.5 §G.5)
            }
            return outSpan[..pos].ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    /// <summary>
    /// Decodes one RLE fragment (or the concatenated fragments of one frame) into a native little-endian frame of
    /// exactly rows × columns × samples × bytes, laid out in <paramref name="planarConfiguration"/>.
    /// </summary>
    /// <exception cref="DicomDataException">The header or a segment is malformed (wrong segment count, offsets out of
    /// range, a run overflowing its segment, a segment too short).</exception>
    public static byte[] DecodeFrame(ReadOnlySpan<byte> fragment, int rows, int columns, int samplesPerPixel, int bitsAllocated, int planarConfiguration)
    {
        var g = Geometry.Create(rows, columns, samplesPerPixel, bitsAllocated, planarConfiguration);
        if (g.FrameLength > Array.MaxLength)
            throw new DicomDataException($"RLE decoder: frame of {g.FrameLength} bytes is too large.");
        var output = new byte[g.FrameLength];
        DecodeFrame(fragment, g, output);
        return output;
    }

    /// <summary>Decodes into <paramref name="output"/>, which must be exactly one native frame long.</summary>
    /// <exception cref="DicomDataException">The fragment is malformed or <paramref name="output"/> has the wrong length.</exception>
    public static void DecodeFrame(ReadOnlySpan<byte> fragment, Span<byte> output, int rows, int columns, int samplesPerPixel, int bitsAllocated, int planarConfiguration)
    {
        var g = Geometry.Create(rows, columns, samplesPerPixel, bitsAllocated, planarConfiguration);
        if (output.Length != g.FrameLength)
            throw new DicomDataException($"RLE decoder: output buffer has {output.Length} bytes but the frame needs {g.FrameLength}.");
        DecodeFrame(fragment, g, output);
    }

    private static void DecodeFrame(ReadOnlySpan<byte> fragment, Geometry g, Span<byte> output)
    {
        if (fragment.Length < HeaderLength)
            throw new DicomDataException($"RLE fragment of {fragment.Length} bytes is shorter than the {HeaderLength}-byte RLE header.");
        var count = BinaryPrimitives.ReadUInt32LittleEndian(fragment);
        if (count > MaxSegments)
            throw new DicomDataException($"RLE header declares {count} segments; at most {MaxSegments} are allowed.");
        if (count != g.Segments)
            throw new DicomDataException($"RLE header declares {count} segments but {g.SamplesPerPixel} samples x {g.BytesPerSample} bytes need {g.Segments}.");

        Span<int> offsets = stackalloc int[MaxSegments + 1];
        for (var i = 0; i < count; i++)
        {
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(fragment[(4 + 4 * i)..]);
            if (offset < HeaderLength || offset > (uint)fragment.Length)
                throw new DicomDataException($"RLE segment {i + 1} offset {offset} is outside the {fragment.Length}-byte fragment (valid: {HeaderLength}..{fragment.Length}).");
            if (i > 0 && offset < offsets[i - 1])
                throw new DicomDataException($"RLE segment {i + 1} offset {offset} is before segment {i} offset {offsets[i - 1]}.");
            offsets[i] = (int)offset;
        }
        offsets[(int)count] = fragment.Length;

        var planeLength = g.PlaneLength;
        byte[]? rented = null;
        try
        {
            for (var segment = 0; segment < g.Segments; segment++)
            {
                var data = fragment[offsets[segment]..offsets[segment + 1]];
                var (start, stride) = g.SegmentLayout(segment);
                if (stride == 1)
                {
                    UnpackBits(data, output.Slice((int)start, planeLength), segment);
                    continue;
                }
                rented ??= ArrayPool<byte>.Shared.Rent(planeLength);
                var plane = rented.AsSpan(0, planeLength);
                UnpackBits(data, plane, segment);
                var dst = (int)start;
                for (var i = 0; i < plane.Length; i++, dst += stride) output[dst] = plane[i];
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>PackBits-encodes <paramref name="src"/> into <paramref name="dst"/>; returns the bytes written.</summary>
    internal static int PackBits(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        var o = 0;
        var i = 0;
        var n = src.Length;
        while (i < n)
        {
            // Length of the run of identical bytes starting at i (capped at 128).
            var b = src[i];
            var run = 1;
            while (i + run < n && run < MaxRun && src[i + run] == b) run++;
            if (run >= 3 || (run == 2 && i + 2 == n))
            {
                // Replicate run: -(run-1), then the byte. A trailing pair is cheaper this way too.
                dst[o++] = (byte)(sbyte)(1 - run);
                dst[o++] = b;
                i += run;
                continue;
            }

            // Literal run: gather bytes until a run of 3 begins or 128 bytes are collected.
            var start = i;
            var length = 0;
            while (i < n && length < MaxRun)
            {
                if (i + 2 < n && src[i] == src[i + 1] && src[i] == src[i + 2]) break;
                i++;
                length++;
            }
            dst[o++] = (byte)(length - 1);
            src.Slice(start, length).CopyTo(dst[o..]);
            o += length;
        }
        return o;
    }

    /// <summary>Decodes a PackBits segment until <paramref name="dst"/> is full; trailing bytes (padding) are ignored.</summary>
    internal static void UnpackBits(ReadOnlySpan<byte> src, Span<byte> dst, int segment)
    {
        var i = 0;
        var o = 0;
        while (o < dst.Length)
        {
            if (i >= src.Length)
                throw new DicomDataException($"RLE segment {segment + 1} ends after {o} of {dst.Length} decoded bytes.");
            var control = (sbyte)src[i++];
            if (control >= 0)
            {
                var length = control + 1;
                if (i + length > src.Length)
                    throw new DicomDataException($"RLE segment {segment + 1}: literal run of {length} bytes at offset {i - 1} overruns the {src.Length}-byte segment.");
                if (o + length > dst.Length)
                    throw new DicomDataException($"RLE segment {segment + 1}: literal run of {length} bytes at offset {i - 1} overflows the {dst.Length}-byte plane (at {o}).");
                src.Slice(i, length).CopyTo(dst[o..]);
                i += length;
                o += length;
            }
            else if (control != -128)
            {
                var length = 1 - control;
                if (i >= src.Length)
                    throw new DicomDataException($"RLE segment {segment + 1}: replicate run at offset {i - 1} has no byte to repeat.");
                if (o + length > dst.Length)
                    throw new DicomDataException($"RLE segment {segment + 1}: replicate run of {length} bytes at offset {i - 1} overflows the {dst.Length}-byte plane (at {o}).");
                dst.Slice(o, length).Fill(src[i++]);
                o += length;
            }
            // -128: no operation.
        }
    }

    /// <summary>Frame geometry and the byte layout of each segment within a native frame.</summary>
    private readonly record struct Geometry(int Rows, int Columns, int SamplesPerPixel, int BytesPerSample, int PlanarConfiguration)
    {
        public int Pixels => Rows * Columns;
        public int PlaneLength => Rows * Columns;
        public int Segments => SamplesPerPixel * BytesPerSample;
        public long FrameLength => (long)Rows * Columns * SamplesPerPixel * BytesPerSample;

        public static Geometry Create(int rows, int columns, int samples, int bitsAllocated, int planar)
        {
            if (rows <= 0 || columns <= 0)
                throw new DicomDataException($"RLE: invalid frame size {rows} rows x {columns} columns.");
            if ((long)rows * columns > int.MaxValue / 2)
                throw new DicomDataException($"RLE: frame of {rows} x {columns} pixels is too large.");
            if (bitsAllocated is not (8 or 16 or 32))
                throw new DicomDataException($"RLE: Bits Allocated {bitsAllocated} is not supported (8, 16 or 32).");
            if (samples is not (1 or 3))
                throw new DicomDataException($"RLE: Samples per Pixel {samples} is not supported (1 or 3).");
            if (planar is not (0 or 1))
                throw new DicomDataException($"RLE: Planar Configuration {planar} is invalid (0 or 1).");
            var g = new Geometry(rows, columns, samples, bitsAllocated / 8, samples == 1 ? 0 : planar);
            if (g.Segments > MaxSegments)
                throw new DicomDataException($"RLE: {samples} samples x {bitsAllocated} bits need {g.Segments} segments; at most {MaxSegments} are allowed.");
            return g;
        }

        /// <summary>
        /// Where segment <paramref name="segment"/>'s bytes live in the native frame: the offset of its first byte and
        /// the distance between consecutive pixels. Segment order: sample 0 MSB … LSB, sample 1 MSB … (PS3.5 §G.2).
        /// </summary>
        public (long Start, int Stride) SegmentLayout(int segment)
        {
            var sample = segment / BytesPerSample;
            var byteInSample = BytesPerSample - 1 - segment % BytesPerSample; // little-endian: MSB is the last byte
            return PlanarConfiguration == 0
                ? ((long)sample * BytesPerSample + byteInSample, SamplesPerPixel * BytesPerSample)
                : ((long)sample * Pixels * BytesPerSample + byteInSample, BytesPerSample);
        }
    }
}
