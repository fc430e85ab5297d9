using FedNano.Dicom;
using FedNano.Dicom.Tests.TestData;

namespace FedNano.Dicom.Tests.Codec;

/// <summary>Opening a file leaves large values on disk: parsing a header never costs the size of the pixel data.</summary>
public sealed class LazyReadingTests : IDisposable
{
    private const long HundredMegabytes = 100L * 1024 * 1024;
    private readonly string _dir = Directory.CreateTempSubdirectory("fednano-lazy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// Writes a file whose Pixel Data is <paramref name="valueLength"/> bytes without ever holding them: the header
    /// comes from our writer, the value is a sparse extension of the file with a marker in its last 8 bytes.
    /// </summary>
    private string WriteBigFile(long valueLength, out long valueOffset)
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, SyntheticDatasets.SecondaryCaptureSopClass)
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, SyntheticDatasets.Uid(60001))
            .AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Big^File")
            .AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1)
            .AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2")
            .AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, (int)(valueLength / (1024 * 1024 * 2)))
            .AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)1024)
            .AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)1024)
            .AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)16)
            .AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)16)
            .AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)15)
            .AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)0);
        var path = Path.Combine(_dir, "big.dcm");
        using var fs = new FileStream(path, FileMode.CreateNew);
        new DicomFile(ds).Save(fs, DicomTransferSyntax.ExplicitVRLittleEndian);
        fs.Write(new DicomByteBuilder().ExplicitHeader(DicomTags.PixelData, "OW", checked((uint)valueLength)).ToArray());
        valueOffset = fs.Position;
        fs.SetLength(valueOffset + valueLength);
        fs.Position = valueOffset + valueLength - 8;
        fs.Write("MARKER!!"u8);
        return path;
    }

    [Fact]
    public void A_100MB_pixel_data_value_is_parsed_with_bounded_memory_and_left_in_the_file()
    {
        var path = WriteBigFile(HundredMegabytes, out var valueOffset);

        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var file = DicomFile.Open(path);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);

        Assert.True(allocated < 4 * 1024 * 1024, $"parsing allocated {allocated} bytes for a {HundredMegabytes}-byte value");
        // Other tests run in parallel, so the heap is only a coarse check; the allocation count above is exact.
        Assert.True(heapAfter - heapBefore < HundredMegabytes / 2, $"heap grew by {heapAfter - heapBefore} bytes");
        GC.KeepAlive(file);

        var pixels = Assert.IsType<DicomElement>(file.Dataset.GetItem(DicomTags.PixelData));
        var source = Assert.IsType<FileByteSource>(pixels.Value);
        Assert.False(source.IsInMemory);
        Assert.Equal(HundredMegabytes, source.Length);
        Assert.Equal(valueOffset, source.Offset);
        Assert.Equal("MARKER!!"u8.ToArray(), source.Read(HundredMegabytes - 8, 8).ToArray());
        Assert.Equal("Big^File", file.Dataset.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void A_lazy_value_streams_without_being_loaded_at_once()
    {
        var path = WriteBigFile(16L * 1024 * 1024, out _);
        var file = DicomFile.Open(path);
        var source = ((DicomElement)file.Dataset.GetItem(DicomTags.PixelData)!).Value;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var counter = new CountingStream();
        source.CopyTo(counter);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.Equal(source.Length, counter.Count);
        Assert.True(allocated < 4 * 1024 * 1024, $"copying allocated {allocated} bytes");
    }

    [Fact]
    public void Saving_a_file_with_a_lazy_value_copies_it_from_the_source_file()
    {
        var path = WriteBigFile(8L * 1024 * 1024, out _);
        var copy = Path.Combine(_dir, "copy.dcm");
        DicomFile.Open(path).Save(copy, DicomTransferSyntax.ImplicitVRLittleEndian);
        var read = DicomFile.Open(copy);
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian, read.TransferSyntax);
        var source = Assert.IsType<FileByteSource>(((DicomElement)read.Dataset.GetItem(DicomTags.PixelData)!).Value);
        Assert.Equal("MARKER!!"u8.ToArray(), source.Read(source.Length - 8, 8).ToArray());
    }

    [Fact]
    public void Values_below_the_threshold_are_in_memory_and_values_above_stay_in_the_file()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.BadPixelImage, DicomVR.OB, new byte[1000])
            .AddOrUpdate(DicomTags.RedPaletteColorLookupTableData, DicomVR.OW, new byte[5000]);
        var path = Path.Combine(_dir, "threshold.dcm");
        new DicomFile(ds).Save(path);
        var read = DicomFile.Open(path, new DicomReadOptions { LazyValueThreshold = 4096 }).Dataset;
        Assert.IsType<MemoryByteSource>(((DicomElement)read.GetItem(DicomTags.BadPixelImage)!).Value);
        Assert.IsType<FileByteSource>(((DicomElement)read.GetItem(DicomTags.RedPaletteColorLookupTableData)!).Value);
        // Reading from a stream has no file to point into: everything is in memory.
        var fromStream = DicomFile.Read(File.ReadAllBytes(path), new DicomReadOptions { LazyValueThreshold = 4096 }).Dataset;
        Assert.True(((DicomElement)fromStream.GetItem(DicomTags.RedPaletteColorLookupTableData)!).Value.IsInMemory);
    }

    [Fact]
    public void StopAtTag_reads_the_header_and_never_touches_pixel_data()
    {
        var path = WriteBigFile(HundredMegabytes, out _);
        var file = DicomFile.Open(path, new DicomReadOptions { StopAtTag = DicomTags.PixelData });
        Assert.False(file.Dataset.Contains(DicomTags.PixelData));
        Assert.Equal((ushort)1024, file.Dataset.GetValue<ushort>(DicomTags.Rows));
    }

    private sealed class CountingStream : Stream
    {
        public long Count { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Count;
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Count += count;
        public override void Write(ReadOnlySpan<byte> buffer) => Count += buffer.Length;
    }
}
