using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FedNano.Dicom;

/// <summary>
/// The Image Pixel module of a dataset (PS3.3 §C.7.6.3) with access to its frames: native frames are sliced out of
/// the Pixel Data value without loading the rest, encapsulated frames are located by Basic Offset Table (or Extended
/// Offset Table, or one fragment per frame), and RLE Lossless frames are decoded to native.
/// </summary>
public sealed class DicomPixelData
{
    /// <summary>Largest Rows or Columns value (the attributes are US).</summary>
    public const int MaxDimension = ushort.MaxValue;

    private readonly DicomElement? _native;
    private readonly DicomFragmentSequence? _fragments;
    private IReadOnlyList<DicomFrameLocation>? _locations;

    private DicomPixelData(DicomDataset dataset, DicomTransferSyntax syntax, DicomElement? native, DicomFragmentSequence? fragments)
    {
        Dataset = dataset;
        TransferSyntax = syntax;
        _native = native;
        _fragments = fragments;
    }

    /// <summary>The dataset the pixel data belongs to.</summary>
    public DicomDataset Dataset { get; }

    /// <summary>The transfer syntax the pixel data is encoded in.</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>Rows (0028,0010).</summary>
    public int Rows { get; private init; }

    /// <summary>Columns (0028,0011).</summary>
    public int Columns { get; private init; }

    /// <summary>Bits Allocated (0028,0100): 1, 8, 16, 32 or 64.</summary>
    public int BitsAllocated { get; private init; }

    /// <summary>Bits Stored (0028,0101); defaults to Bits Allocated.</summary>
    public int BitsStored { get; private init; }

    /// <summary>High Bit (0028,0102); defaults to Bits Stored - 1.</summary>
    public int HighBit { get; private init; }

    /// <summary>Pixel Representation (0028,0103): 0 unsigned, 1 two's complement.</summary>
    public int PixelRepresentation { get; private init; }

    /// <summary>True when samples are two's complement signed integers.</summary>
    public bool IsSigned => PixelRepresentation == 1;

    /// <summary>Samples per Pixel (0028,0002); defaults to 1.</summary>
    public int SamplesPerPixel { get; private init; }

    /// <summary>Planar Configuration (0028,0006): 0 interleaved (R1G1B1R2…), 1 by plane (R…G…B…). Always 0 for one sample.</summary>
    public int PlanarConfiguration { get; private init; }

    /// <summary>Number of Frames (0028,0008); 1 when absent.</summary>
    public int FrameCount { get; private init; }

    /// <summary>Photometric Interpretation (0028,0004), e.g. MONOCHROME2, RGB, YBR_FULL; empty when absent.</summary>
    public string PhotometricInterpretation { get; private init; } = "";

    /// <summary>True for MONOCHROME1 and MONOCHROME2.</summary>
    public bool IsMonochrome => PhotometricInterpretation.StartsWith("MONOCHROME", StringComparison.Ordinal);

    /// <summary>True when the native layout is horizontally subsampled 4:2:2 (YBR_FULL_422, YBR_PARTIAL_422): Y Y Cb Cr per pixel pair.</summary>
    public bool IsSubsampled422 => PhotometricInterpretation is "YBR_FULL_422" or "YBR_PARTIAL_422";

    /// <summary>Rescale Slope (0028,1053); 1 when absent or not a usable number.</summary>
    public double RescaleSlope { get; private init; } = 1;

    /// <summary>Rescale Intercept (0028,1052); 0 when absent or not a usable number.</summary>
    public double RescaleIntercept { get; private init; }

    /// <summary>True when the pixel data is encapsulated (compressed) in fragments.</summary>
    public bool IsEncapsulated => _fragments is not null;

    /// <summary>Number of stored sample values in one frame (rows × columns × samples; two per pixel for 4:2:2 data).</summary>
    public long SamplesPerFrame { get; private init; }

    /// <summary>Length in bytes of one native (decoded) frame; for Bits Allocated 1, the bits rounded up to whole bytes.</summary>
    public long FrameLength { get; private init; }

    /// <summary>The Pixel Data item: a <see cref="DicomElement"/> for native data, a <see cref="DicomFragmentSequence"/> when encapsulated.</summary>
    public DicomItem PixelDataItem => (DicomItem?)_native ?? _fragments!;

    /// <summary>
    /// Reads the Image Pixel module of <paramref name="dataset"/> and checks that it is consistent with its Pixel Data.
    /// </summary>
    /// <exception cref="DicomDataException">An attribute is missing or out of range, or the Pixel Data is too short for the frames it must hold.</exception>
    public static DicomPixelData Create(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);

        var rows = Required(dataset, DicomTags.Rows, "Rows");
        var columns = Required(dataset, DicomTags.Columns, "Columns");
        var bitsAllocated = Required(dataset, DicomTags.BitsAllocated, "Bits Allocated");
        var bitsStored = Optional(dataset, DicomTags.BitsStored, bitsAllocated);
        var highBit = Optional(dataset, DicomTags.HighBit, bitsStored - 1);
        var pixelRepresentation = Optional(dataset, DicomTags.PixelRepresentation, 0);
        var samples = Optional(dataset, DicomTags.SamplesPerPixel, 1);
        var planar = Optional(dataset, DicomTags.PlanarConfiguration, 0);
        var frames = Optional(dataset, DicomTags.NumberOfFrames, 1);
        var photometric = dataset.GetSingleString(DicomTags.PhotometricInterpretation).Trim().ToUpperInvariant();

        if (rows < 1 || rows > MaxDimension || columns < 1 || columns > MaxDimension)
            throw new DicomDataException($"Invalid image size: Rows {rows}, Columns {columns} (each must be 1..{MaxDimension}).");
        if (bitsAllocated is not (1 or 8 or 16 or 32 or 64))
            throw new DicomDataException($"Bits Allocated {bitsAllocated} is not supported (1, 8, 16, 32 or 64).");
        if (bitsStored < 1 || bitsStored > bitsAllocated)
            throw new DicomDataException($"Bits Stored {bitsStored} is invalid for Bits Allocated {bitsAllocated}.");
        if (highBit < bitsStored - 1 || highBit >= bitsAllocated)
            throw new DicomDataException($"High Bit {highBit} is invalid for Bits Stored {bitsStored} and Bits Allocated {bitsAllocated}.");
        if (pixelRepresentation is not (0 or 1))
            throw new DicomDataException($"Pixel Representation {pixelRepresentation} is invalid (0 or 1).");
        if (samples < 1 || samples > 4)
            throw new DicomDataException($"Samples per Pixel {samples} is invalid (1 to 4).");
        if (samples > 1 && planar is not (0 or 1))
            throw new DicomDataException($"Planar Configuration {planar} is invalid (0 or 1).");
        if (frames < 1)
            throw new DicomDataException($"Number of Frames {frames} is invalid (must be at least 1).");

        var subsampled = photometric is "YBR_FULL_422" or "YBR_PARTIAL_422";
        long samplesPerFrame = subsampled && samples == 3 && !syntax.IsEncapsulated
            ? (long)rows * columns * 2
            : (long)rows * columns * samples;
        long frameLength = bitsAllocated == 1 ? (samplesPerFrame + 7) / 8 : samplesPerFrame * (bitsAllocated / 8);
        if (frameLength > Array.MaxLength)
            throw new DicomDataException($"One frame of {rows} x {columns} x {samples} samples x {bitsAllocated} bits is {frameLength} bytes, more than can be handled ({Array.MaxLength}).");

        var item = dataset.GetItem(DicomTags.PixelData)
            ?? throw new DicomDataException("The dataset has no Pixel Data (7FE0,0010).");
        DicomElement? native = null;
        DicomFragmentSequence? fragments = null;
        if (syntax.IsEncapsulated)
        {
            fragments = item as DicomFragmentSequence
                ?? throw new DicomDataException($"Pixel Data is not encapsulated although the transfer syntax {syntax} requires it.");
            if (fragments.Fragments.Count == 0)
                throw new DicomDataException("Encapsulated Pixel Data has no fragments.");
            if (fragments.Fragments.Count < frames)
                throw new DicomDataException($"Number of Frames is {frames} but the encapsulated Pixel Data has only {fragments.Fragments.Count} fragments.");
        }
        else
        {
            native = item as DicomElement
                ?? throw new DicomDataException($"Pixel Data is encapsulated although the transfer syntax {syntax} is native.");
            var needed = bitsAllocated == 1 ? (samplesPerFrame * frames + 7) / 8 : frameLength * frames;
            if (native.Length < needed)
                throw new DicomDataException($"Pixel Data has {native.Length} bytes but {frames} frames of {rows} x {columns} x {samples} samples x {bitsAllocated} bits need {needed} ({frameLength} per frame).");
        }

        return new DicomPixelData(dataset, syntax, native, fragments)
        {
            Rows = rows,
            Columns = columns,
            BitsAllocated = bitsAllocated,
            BitsStored = bitsStored,
            HighBit = highBit,
            PixelRepresentation = pixelRepresentation,
            SamplesPerPixel = samples,
            PlanarConfiguration = samples > 1 ? planar : 0,
            FrameCount = frames,
            PhotometricInterpretation = photometric,
            SamplesPerFrame = samplesPerFrame,
            FrameLength = frameLength,
            RescaleSlope = dataset.TryGetValue<double>(DicomTags.RescaleSlope, out var slope) && double.IsFinite(slope) && slope != 0 ? slope : 1,
            RescaleIntercept = dataset.TryGetValue<double>(DicomTags.RescaleIntercept, out var intercept) && double.IsFinite(intercept) ? intercept : 0,
        };
    }

    private static int Required(DicomDataset ds, DicomTag tag, string name)
    {
        if (!ds.Contains(tag)) throw new DicomDataException($"The Image Pixel module lacks {name} {tag}.");
        return ReadInt(ds, tag) ?? throw new DicomDataException($"{name} {tag} is empty.");
    }

    private static int Optional(DicomDataset ds, DicomTag tag, int fallback) => ReadInt(ds, tag) ?? fallback;

    private static int? ReadInt(DicomDataset ds, DicomTag tag)
    {
        if (!ds.Contains(tag)) return null;
        long[] values;
        try
        {
            values = ds.GetValues<long>(tag);
        }
        catch (DicomDataException e)
        {
            throw new DicomDataException($"{tag} cannot be read as an integer: {e.Message}");
        }
        catch (OverflowException)
        {
            throw new DicomDataException($"{tag} holds a value out of range.");
        }
        if (values.Length == 0) return null;
        if (values[0] is < int.MinValue or > int.MaxValue)
            throw new DicomDataException($"{tag} value {values[0]} is out of range.");
        return (int)values[0];
    }

    // ---------------------------------------------------------------- frame locations

    /// <summary>
    /// Where each frame lives: byte ranges within the Pixel Data value for native data, fragment ranges for
    /// encapsulated data. Computed on first use.
    /// </summary>
    /// <exception cref="DicomDataException">Encapsulated fragments cannot be assigned to frames.</exception>
    public IReadOnlyList<DicomFrameLocation> FrameLocations => _locations ??= _fragments is null
        ? ComputeNativeFrameLocations(SamplesPerFrame, BitsAllocated, FrameCount)
        : ComputeFragmentLocations(_fragments, FrameCount, TransferSyntax, Dataset, SamplesPerPixel * Math.Max(1, BitsAllocated / 8));

    /// <summary>
    /// Byte ranges of each native frame within the Pixel Data value (offset, length). Frames of Bits Allocated 1 data
    /// need not start on a byte boundary; the range then covers every byte the frame touches. Pass the Photometric
    /// Interpretation so that 4:2:2 subsampled data (YBR_FULL_422, YBR_PARTIAL_422: two samples per pixel) is sized right.
    /// </summary>
    public static IReadOnlyList<(long Offset, long Length)> ComputeNativeFrameOffsets(int rows, int columns, int samplesPerPixel, int bitsAllocated,
        int frameCount, string? photometricInterpretation = null)
    {
        var subsampled = samplesPerPixel == 3 && photometricInterpretation?.Trim().ToUpperInvariant() is "YBR_FULL_422" or "YBR_PARTIAL_422";
        var samplesPerFrame = (long)rows * columns * (subsampled ? 2 : samplesPerPixel);
        return ComputeNativeFrameLocations(samplesPerFrame, bitsAllocated, frameCount).Select(l => (l.Offset, l.Length)).ToArray();
    }

    private static DicomFrameLocation[] ComputeNativeFrameLocations(long samplesPerFrame, int bitsAllocated, int frameCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        var result = new DicomFrameLocation[frameCount];
        for (var i = 0; i < frameCount; i++)
        {
            if (bitsAllocated == 1)
            {
                var firstBit = samplesPerFrame * i;
                var endBit = firstBit + samplesPerFrame;
                result[i] = new DicomFrameLocation(firstBit / 8, (endBit + 7) / 8 - firstBit / 8, BitOffset: (int)(firstBit % 8));
            }
            else
            {
                var length = samplesPerFrame * (bitsAllocated / 8);
                result[i] = new DicomFrameLocation(length * i, length);
            }
        }
        return result;
    }

    /// <summary>
    /// Assigns the fragments of encapsulated pixel data to frames: by Basic Offset Table, else by Extended Offset
    /// Table (7FE0,0001) in <paramref name="dataset"/>, else all fragments for a single frame, else one fragment per
    /// frame, else by recognising the fragments that start a frame (an RLE header, a JPEG SOI or JPEG 2000 SOC marker).
    /// </summary>
    /// <param name="pixelData">The encapsulated Pixel Data.</param>
    /// <param name="frameCount">Number of Frames.</param>
    /// <param name="syntax">The transfer syntax (used to recognise frame starts); may be null.</param>
    /// <param name="dataset">The dataset holding the Extended Offset Table, if any; may be null.</param>
    /// <param name="rleSegments">Segments per RLE frame (samples × bytes per sample), used to recognise RLE headers.</param>
    /// <exception cref="DicomDataException">The fragments cannot be assigned to frames unambiguously.</exception>
    public static IReadOnlyList<DicomFrameLocation> ComputeFragmentLocations(DicomFragmentSequence pixelData, int frameCount,
        DicomTransferSyntax? syntax = null, DicomDataset? dataset = null, int rleSegments = 0)
    {
        ArgumentNullException.ThrowIfNull(pixelData);
        var fragments = pixelData.Fragments;
        var n = fragments.Count;
        if (frameCount < 1) throw new DicomDataException($"Number of Frames {frameCount} is invalid.");
        if (n == 0) throw new DicomDataException("Encapsulated Pixel Data has no fragments.");
        if (n < frameCount)
            throw new DicomDataException($"Number of Frames is {frameCount} but the encapsulated Pixel Data has only {n} fragments.");

        // Offset of each fragment item relative to the first fragment item (what offset tables hold).
        var itemOffsets = new long[n + 1];
        for (var i = 0; i < n; i++)
            itemOffsets[i + 1] = itemOffsets[i] + 8 + fragments[i].Length + (fragments[i].Length & 1);

        string? problem = null;
        int[]? starts = null;
        if (pixelData.OffsetTable.Count > 0 && frameCount > 1)
        {
            starts = StartsFromOffsets(pixelData.OffsetTable.Select(o => (long)o).ToArray(), itemOffsets, frameCount, "Basic Offset Table", out problem);
        }
        if (starts is null && dataset is not null && frameCount > 1 && dataset.TryGetElement(DicomTags.ExtendedOffsetTable, out var eot))
        {
            var bytes = eot.Value.GetMemory().Span;
            var offsets = new long[bytes.Length / 8];
            for (var i = 0; i < offsets.Length; i++)
            {
                var v = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(8 * i)..]);
                offsets[i] = v > long.MaxValue ? -1 : (long)v;
            }
            starts = StartsFromOffsets(offsets, itemOffsets, frameCount, "Extended Offset Table", out var eotProblem);
            problem ??= eotProblem;
        }
        if (starts is null && frameCount == 1) starts = [0];
        if (starts is null && n == frameCount) starts = Enumerable.Range(0, n).ToArray();
        if (starts is null)
        {
            var found = new List<int>();
            for (var i = 0; i < n; i++)
                if (StartsFrame(fragments[i], syntax, rleSegments)) found.Add(i);
            if (found.Count == frameCount && found[0] == 0) starts = [.. found];
            else
                throw new DicomDataException(
                    $"Cannot tell which of the {n} fragments belong to which of the {frameCount} frames: " +
                    (problem ?? "the Basic Offset Table is empty") + $", and {found.Count} fragments look like the start of a frame.");
        }

        var result = new DicomFrameLocation[frameCount];
        for (var f = 0; f < frameCount; f++)
        {
            var first = starts[f];
            var end = f + 1 < frameCount ? starts[f + 1] : n;
            long length = 0;
            for (var k = first; k < end; k++) length += fragments[k].Length;
            result[f] = new DicomFrameLocation(itemOffsets[first], length, first, end - first);
        }
        return result;
    }

    private static int[]? StartsFromOffsets(long[] offsets, long[] itemOffsets, int frameCount, string name, out string? problem)
    {
        problem = null;
        if (offsets.Length != frameCount)
        {
            problem = $"the {name} has {offsets.Length} entries for {frameCount} frames";
            return null;
        }
        var starts = new int[frameCount];
        for (var f = 0; f < frameCount; f++)
        {
            var index = Array.BinarySearch(itemOffsets, 0, itemOffsets.Length - 1, offsets[f]);
            if (index < 0)
            {
                problem = $"{name} entry {f} (offset {offsets[f]}) does not point at a fragment";
                return null;
            }
            if (f == 0 ? index != 0 : index <= starts[f - 1])
            {
                problem = $"{name} entries are not increasing from the first fragment (entry {f}: offset {offsets[f]})";
                return null;
            }
            starts[f] = index;
        }
        return starts;
    }

    private static bool StartsFrame(ByteSource fragment, DicomTransferSyntax? syntax, int rleSegments)
    {
        if (fragment.Length < 4) return false;
        var head = fragment.Read(0, (int)Math.Min(8, fragment.Length)).Span;
        if (syntax == DicomTransferSyntax.RLELossless)
        {
            if (head.Length < 8) return false;
            var count = BinaryPrimitives.ReadUInt32LittleEndian(head);
            var first = BinaryPrimitives.ReadUInt32LittleEndian(head[4..]);
            return count >= 1 && count <= RleCodec.MaxSegments && (rleSegments == 0 || count == rleSegments) && first == RleCodec.HeaderLength;
        }
        // JPEG family and JPEG-LS: SOI; JPEG 2000 codestream: SOC + SIZ; JP2 file: signature box.
        return (head[0] == 0xFF && head[1] == 0xD8)
            || (head[0] == 0xFF && head[1] == 0x4F && head[2] == 0xFF && head[3] == 0x51)
            || (head.Length >= 8 && head[4] == (byte)'j' && head[5] == (byte)'P' && head[6] == (byte)' ' && head[7] == (byte)' ');
    }

    // ---------------------------------------------------------------- frames

    private void CheckIndex(int index)
    {
        if (index < 0 || index >= FrameCount)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Frame index must be 0..{FrameCount - 1}.");
    }

    /// <summary>
    /// The compressed bytes of encapsulated frame <paramref name="index"/> (0-based): its fragments concatenated.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pixel data is native.</exception>
    /// <exception cref="DicomDataException">Fragments cannot be assigned to frames.</exception>
    public ReadOnlyMemory<byte> GetEncapsulatedFrame(int index)
    {
        CheckIndex(index);
        if (_fragments is null) throw new InvalidOperationException("Pixel data is native, not encapsulated; use GetFrameBytes.");
        var location = FrameLocations[index];
        if (location.FragmentCount == 1) return _fragments.Fragments[location.FirstFragment].GetMemory();
        if (location.Length > Array.MaxLength)
            throw new DicomDataException($"Frame {index} has {location.Length} compressed bytes, too many to hold in memory.");
        var buffer = new byte[location.Length];
        var pos = 0;
        for (var k = location.FirstFragment; k < location.FirstFragment + location.FragmentCount; k++)
        {
            var fragment = _fragments.Fragments[k].GetMemory().Span;
            fragment.CopyTo(buffer.AsSpan(pos));
            pos += fragment.Length;
        }
        return buffer;
    }

    /// <summary>
    /// Native (decoded) bytes of frame <paramref name="index"/> (0-based), little-endian, in <see cref="PlanarConfiguration"/>,
    /// exactly <see cref="FrameLength"/> long. Native data is read by range (a file-backed value is not loaded whole);
    /// RLE Lossless frames are decoded.
    /// </summary>
    /// <exception cref="DicomDataException">The frame is compressed in a syntax this codec cannot decode, or is malformed.</exception>
    public ReadOnlyMemory<byte> GetFrameBytes(int index)
    {
        CheckIndex(index);
        if (_native is not null)
        {
            var location = FrameLocations[index];
            if (location.BitOffset == 0)
                return _native.Value.Read(location.Offset, checked((int)FrameLength));
            // Bits Allocated 1 frame that does not start on a byte boundary: realign.
            var src = _native.Value.Read(location.Offset, checked((int)location.Length)).Span;
            var dst = new byte[FrameLength];
            var shift = location.BitOffset;
            for (var i = 0; i < dst.Length; i++)
            {
                var lo = src[i] >> shift;
                var hi = i + 1 < src.Length ? src[i + 1] << (8 - shift) : 0;
                dst[i] = (byte)(lo | hi);
            }
            var tailBits = (int)(SamplesPerFrame % 8);
            if (tailBits != 0) dst[^1] &= (byte)((1 << tailBits) - 1);
            return dst;
        }

        if (TransferSyntax != DicomTransferSyntax.RLELossless)
            throw new DicomDataException($"pixel data in {TransferSyntax} cannot be decoded by this codec");
        var compressed = GetEncapsulatedFrame(index);
        try
        {
            return RleCodec.DecodeFrame(compressed.Span, Rows, Columns, SamplesPerPixel, BitsAllocated, PlanarConfiguration);
        }
        catch (DicomDataException e)
        {
            throw new DicomDataException($"RLE frame {index}: {e.Message}");
        }
    }

    /// <summary>
    /// Stored sample values of frame <paramref name="index"/> as <typeparamref name="T"/> (byte, sbyte, ushort, short,
    /// uint, int, long, float, double …), in stored order (<see cref="PlanarConfiguration"/>). Values are taken from
    /// bits HighBit-BitsStored+1 … HighBit, and sign-extended when <see cref="PixelRepresentation"/> is 1.
    /// </summary>
    /// <exception cref="DicomDataException">A value does not fit <typeparamref name="T"/>, or the frame cannot be decoded.</exception>
    public T[] GetFrame<T>(int index) where T : unmanaged, INumber<T>
    {
        var bytes = GetFrameBytes(index).Span;
        var count = checked((int)SamplesPerFrame);
        var result = new T[count];

        if (BitsAllocated == 1)
        {
            for (var i = 0; i < count; i++) result[i] = (bytes[i >> 3] >> (i & 7) & 1) == 1 ? T.One : T.Zero;
            return result;
        }

        var shift = HighBit + 1 - BitsStored;
        var fullWidth = shift == 0 && BitsStored == BitsAllocated;
        // Fast paths: the stored type is exactly T.
        if (fullWidth && TryCopyExact(bytes, result)) return result;

        var mask = BitsStored == 64 ? ulong.MaxValue : (1UL << BitsStored) - 1;
        try
        {
            switch (BitsAllocated)
            {
                case 8: Unpack(bytes[..count], result, shift, mask, IsSigned); break;
                case 16: Unpack(MemoryMarshal.Cast<byte, ushort>(bytes)[..count], result, shift, mask, IsSigned); break;
                case 32: Unpack(MemoryMarshal.Cast<byte, uint>(bytes)[..count], result, shift, mask, IsSigned); break;
                default: Unpack(MemoryMarshal.Cast<byte, ulong>(bytes)[..count], result, shift, mask, IsSigned); break;
            }
        }
        catch (OverflowException)
        {
            throw new DicomDataException($"Frame {index} holds {(IsSigned ? "signed" : "unsigned")} {BitsStored}-bit values that do not fit {typeof(T).Name}.");
        }
        return result;
    }

    /// <summary>Extracts bits shift … shift+popcount(mask)-1 of each raw value, sign-extending when <paramref name="signed"/>.</summary>
    private static void Unpack<TRaw, T>(ReadOnlySpan<TRaw> raw, T[] result, int shift, ulong mask, bool signed)
        where TRaw : unmanaged, IUnsignedNumber<TRaw>, IBinaryInteger<TRaw>
        where T : unmanaged, INumber<T>
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Pixel data access requires a little-endian machine.");
        var signBit = (mask >> 1) + 1;
        if (signed)
        {
            for (var i = 0; i < raw.Length; i++)
            {
                var v = (ulong.CreateTruncating(raw[i]) >> shift) & mask;
                result[i] = T.CreateChecked((v & signBit) != 0 ? (long)(v | ~mask) : (long)v);
            }
        }
        else
        {
            for (var i = 0; i < raw.Length; i++)
                result[i] = T.CreateChecked((ulong.CreateTruncating(raw[i]) >> shift) & mask);
        }
    }

    private bool TryCopyExact<T>(ReadOnlySpan<byte> bytes, T[] result) where T : unmanaged
    {
        var matches = (BitsAllocated, IsSigned, typeof(T)) switch
        {
            (8, false, var t) when t == typeof(byte) => true,
            (8, true, var t) when t == typeof(sbyte) => true,
            (16, false, var t) when t == typeof(ushort) => true,
            (16, true, var t) when t == typeof(short) => true,
            (32, false, var t) when t == typeof(uint) => true,
            (32, true, var t) when t == typeof(int) => true,
            (64, false, var t) when t == typeof(ulong) => true,
            (64, true, var t) when t == typeof(long) => true,
            _ => false,
        };
        if (!matches || !BitConverter.IsLittleEndian) return false;
        bytes[..(result.Length * Unsafe.SizeOf<T>())].CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        return true;
    }

    /// <summary>
    /// Modality values of frame <paramref name="frame"/>: stored values × Rescale Slope + Rescale Intercept
    /// (PS3.3 §C.11.1; slope 1 and intercept 0 when absent). For color data the stored values are returned unchanged.
    /// </summary>
    public double[] GetModalityValues(int frame)
    {
        var values = GetFrame<double>(frame);
        if (!IsMonochrome && SamplesPerPixel > 1) return values;
        var slope = RescaleSlope;
        var intercept = RescaleIntercept;
        if (slope != 1 || intercept != 0)
            for (var i = 0; i < values.Length; i++) values[i] = values[i] * slope + intercept;
        return values;
    }

    /// <summary>
    /// The Pixel Padding Value (0028,0120) and, when present, Pixel Padding Range Limit (0028,0121) as modality
    /// values (lower and upper bound); null when the dataset has no padding value.
    /// </summary>
    public (double Low, double High)? GetPaddingRange()
    {
        if (!Dataset.TryGetValue<long>(DicomTags.PixelPaddingValue, out var pad)) return null;
        var low = ToModality(pad);
        var high = Dataset.TryGetValue<long>(DicomTags.PixelPaddingRangeLimit, out var limit) ? ToModality(limit) : low;
        return low <= high ? (low, high) : (high, low);
    }

    private double ToModality(long stored)
    {
        // xs values may have been read with the wrong signedness (implicit VR dictionary VR is US): reinterpret in stored bits.
        if (BitsStored < 64)
        {
            var mask = (1UL << BitsStored) - 1;
            var v = (ulong)stored & mask;
            stored = IsSigned && (v & (1UL << (BitsStored - 1))) != 0 ? (long)(v | ~mask) : (long)v;
        }
        return stored * RescaleSlope + RescaleIntercept;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Columns}x{Rows} {PhotometricInterpretation} {SamplesPerPixel}x{BitsStored}/{BitsAllocated} bits{(IsSigned ? " signed" : "")}, {FrameCount} frame(s), {TransferSyntax.Name}");
}
