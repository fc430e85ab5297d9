using FedNano.Dicom;

namespace FedNano.Dicom.Tests.Pixel;

/// <summary>Synthetic images for the pixel tests.</summary>
internal static class PixelTestData
{
    public const string SecondaryCaptureSopClass = "1.2.840.10008.5.1.4.1.1.7";
    public const string MultiFrameGrayscaleWordSopClass = "1.2.840.10008.5.1.4.1.1.7.3";

    /// <summary>A dataset with the Image Pixel module and native Pixel Data.</summary>
    public static DicomDataset Image(int rows, int columns, int bitsAllocated, byte[] pixelData, int samples = 1, int frames = 1,
        int planar = 0, string? photometric = null, int? bitsStored = null, int pixelRepresentation = 0)
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, SecondaryCaptureSopClass)
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.8.498." + Random.Shared.Next(1, int.MaxValue))
            .AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.8.498.1")
            .AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.8.498.2")
            .AddOrUpdate(DicomTags.Modality, DicomVR.CS, "OT")
            .AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Pixel^Test")
            .AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "PIX1")
            .AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)samples)
            .AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, photometric ?? (samples == 3 ? "RGB" : "MONOCHROME2"))
            .AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)rows)
            .AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)columns)
            .AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)bitsAllocated)
            .AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)(bitsStored ?? bitsAllocated))
            .AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)((bitsStored ?? bitsAllocated) - 1))
            .AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)pixelRepresentation)
            .AddOrUpdate(DicomTags.PixelData, bitsAllocated > 8 ? DicomVR.OW : DicomVR.OB, pixelData);
        if (samples > 1) ds.AddOrUpdate(DicomTags.PlanarConfiguration, DicomVR.US, (ushort)planar);
        if (frames != 1) ds.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return ds;
    }

    /// <summary>Native frame length in bytes.</summary>
    public static int FrameLength(int rows, int columns, int bitsAllocated, int samples) => rows * columns * samples * (bitsAllocated / 8);

    /// <summary>Random bytes (deterministic per seed).</summary>
    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>
    /// A frame full of runs: long constant stretches (longer than a row and than 128 bytes), pairs, triples,
    /// alternating bytes, and runs that continue across row ends.
    /// </summary>
    public static byte[] StructuredBytes(int length, int seed)
    {
        var rnd = new Random(seed);
        var bytes = new byte[length];
        var i = 0;
        while (i < length)
        {
            var kind = rnd.Next(5);
            var count = kind switch { 0 => rnd.Next(1, 400), 1 => 2, 2 => 3, 3 => rnd.Next(1, 20), _ => rnd.Next(120, 140) };
            var value = (byte)rnd.Next(256);
            for (var k = 0; k < count && i < length; k++, i++)
                bytes[i] = kind == 3 ? (byte)(value + k) : value;
        }
        return bytes;
    }

    /// <summary>A horizontal 8-bit gradient: pixel (x, y) = x * 255 / (columns - 1).</summary>
    public static byte[] Gradient8(int rows, int columns)
    {
        var bytes = new byte[rows * columns];
        for (var y = 0; y < rows; y++)
            for (var x = 0; x < columns; x++)
                bytes[y * columns + x] = (byte)(x * 255 / (columns - 1));
        return bytes;
    }

    /// <summary>The pixel bytes of a dataset's native Pixel Data.</summary>
    public static byte[] NativePixelBytes(DicomDataset ds)
    {
        var element = Assert.IsType<DicomElement>(ds.GetItem(DicomTags.PixelData));
        return element.Value.GetMemory().ToArray();
    }

    /// <summary>Converts a planar (R…G…B…) frame to interleaved (RGBRGB…) or leaves an interleaved one alone.</summary>
    public static byte[] ToInterleaved(ReadOnlySpan<byte> frame, int pixels, int bytesPerSample, int planar)
    {
        if (planar == 0) return frame.ToArray();
        var result = new byte[frame.Length];
        for (var s = 0; s < 3; s++)
            for (var p = 0; p < pixels; p++)
                frame.Slice((s * pixels + p) * bytesPerSample, bytesPerSample).CopyTo(result.AsSpan((p * 3 + s) * bytesPerSample));
        return result;
    }
}
