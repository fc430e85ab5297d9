namespace FedNano.Dicom;

/// <summary>
/// Changes the pixel data of a dataset from one transfer syntax to another: native ↔ RLE Lossless. Other
/// encapsulated syntaxes cannot be decoded or encoded by this codec.
/// </summary>
public static class DicomTranscoder
{
    /// <summary>
    /// The dataset with its pixel data in <paramref name="to"/>. Returns <paramref name="dataset"/> itself when the
    /// pixel data needs no change (same syntax, both native, or no Pixel Data); otherwise a new dataset that shares
    /// every element except Pixel Data with the input, which is never modified.
    /// </summary>
    /// <exception cref="DicomDataException">The pixel data cannot be decoded from <paramref name="from"/> or encoded in <paramref name="to"/>, or is malformed.</exception>
    public static DicomDataset Transcode(DicomDataset dataset, DicomTransferSyntax from, DicomTransferSyntax to)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from == to) return dataset;
        var item = dataset.GetItem(DicomTags.PixelData);
        if (item is null) return dataset;
        if (!from.IsEncapsulated && !to.IsEncapsulated) return dataset;

        if (from.IsEncapsulated && from != DicomTransferSyntax.RLELossless)
            throw new DicomDataException($"pixel data in {from} cannot be decoded by this codec");
        if (to.IsEncapsulated && to != DicomTransferSyntax.RLELossless)
            throw new DicomDataException($"pixel data cannot be encoded in {to} by this codec");

        var pixelData = DicomPixelData.Create(dataset, from);
        return to.IsEncapsulated ? EncodeRle(dataset, pixelData) : DecodeToNative(dataset, pixelData);
    }

    /// <summary>RLE → native: the frames decoded and concatenated as OB (Bits Allocated 8) or OW.</summary>
    private static DicomDataset DecodeToNative(DicomDataset dataset, DicomPixelData pixelData)
    {
        var total = pixelData.FrameLength * pixelData.FrameCount;
        if (total > Array.MaxLength)
            throw new DicomDataException($"Decoded pixel data of {pixelData.FrameCount} frames x {pixelData.FrameLength} bytes is too large to hold in memory.");
        var buffer = new byte[total];
        for (var i = 0; i < pixelData.FrameCount; i++)
            pixelData.GetFrameBytes(i).Span.CopyTo(buffer.AsSpan(checked((int)(i * pixelData.FrameLength))));
        var copy = ShallowCopy(dataset);
        copy.AddOrUpdate(new DicomElement(DicomTags.PixelData, pixelData.BitsAllocated > 8 ? DicomVR.OW : DicomVR.OB, buffer));
        return copy;
    }

    /// <summary>Native → RLE: one fragment per frame and a Basic Offset Table.</summary>
    private static DicomDataset EncodeRle(DicomDataset dataset, DicomPixelData pixelData)
    {
        if (pixelData.BitsAllocated is not (8 or 16 or 32))
            throw new DicomDataException($"RLE Lossless: Bits Allocated {pixelData.BitsAllocated} cannot be encoded (8, 16 or 32).");
        if (pixelData.SamplesPerPixel is not (1 or 3))
            throw new DicomDataException($"RLE Lossless: Samples per Pixel {pixelData.SamplesPerPixel} cannot be encoded (1 or 3).");
        if (pixelData.IsSubsampled422)
            throw new DicomDataException($"RLE Lossless: Photometric Interpretation {pixelData.PhotometricInterpretation} cannot be encoded (subsampled data).");

        var fragments = new List<ByteSource>(pixelData.FrameCount);
        var offsets = new List<uint>(pixelData.FrameCount);
        long position = 0;
        for (var i = 0; i < pixelData.FrameCount; i++)
        {
            var frame = pixelData.GetFrameBytes(i);
            var encoded = RleCodec.EncodeFrame(frame.Span, pixelData.Rows, pixelData.Columns, pixelData.SamplesPerPixel,
                pixelData.BitsAllocated, pixelData.PlanarConfiguration);
            if (position > uint.MaxValue)
                throw new DicomDataException($"RLE Lossless: frame {i} starts beyond the 4 GiB reach of the Basic Offset Table.");
            offsets.Add((uint)position);
            fragments.Add(ByteSource.FromBytes(encoded));
            position += 8 + encoded.Length; // item header + even-length value
        }

        var copy = ShallowCopy(dataset);
        copy.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, offsets, fragments));
        // RLE segments are by plane whatever the native layout; like DCMTK, Planar Configuration is kept as it was,
        // and decoding produces the layout it declares, so native -> RLE -> native gives back the same bytes.
        return copy;
    }

    /// <summary>
    /// A new dataset holding the same items: elements (immutable values) are shared, sequences are cloned so that
    /// their items are not re-parented away from the input dataset.
    /// </summary>
    private static DicomDataset ShallowCopy(DicomDataset dataset)
    {
        var copy = new DicomDataset();
        foreach (var item in dataset)
            copy.AddOrUpdate(item is DicomSequence sequence ? sequence.Clone() : item);
        return copy;
    }
}
