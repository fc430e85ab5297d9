using FedNano.Dicom;
using FedNano.Dicom.Tests.TestData;

namespace FedNano.Dicom.Tests.Codec;

/// <summary>A length that promises more bytes than the input has is a format error at that offset, never an allocation.</summary>
public sealed class DeclaredLengthTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fednano-len-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public enum Source { Bytes, NonSeekableStream, Path }

    private DicomFile ReadFrom(Source source, byte[] bytes)
    {
        switch (source)
        {
            case Source.Bytes: return DicomFile.Read(bytes);
            case Source.NonSeekableStream: return DicomFile.Read(new NonSeekableStream(bytes));
            default:
                var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".dcm");
                File.WriteAllBytes(path, bytes);
                return DicomFile.Open(path);
        }
    }

    private DicomFormatException ExpectFormatError(Source source, byte[] bytes, long offset, DicomTag? tag, long? elementOffset = null)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DicomFormatException>(() => ReadFrom(source, bytes));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(allocated < 64L * 1024 * 1024, $"reading allocated {allocated} bytes");
        Assert.Contains("offset", ex.Message, StringComparison.Ordinal);
        if (source == Source.NonSeekableStream)
        {
            // Without a known input length the problem shows where the input runs out.
            Assert.InRange(ex.Offset, elementOffset ?? offset, bytes.Length);
        }
        else
        {
            Assert.Equal(offset, ex.Offset);
            if (tag is not null) Assert.Equal(tag, ex.Tag);
        }
        return ex;
    }

    [Theory]
    [InlineData(Source.Bytes)]
    [InlineData(Source.NonSeekableStream)]
    [InlineData(Source.Path)]
    public void A_32_bit_length_beyond_the_input_raises_a_format_error_naming_the_offset(Source source)
    {
        var b = DicomByteBuilder.Part10(DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
        b.ExplicitText(DicomTags.SOPClassUID, "UI", SyntheticDatasets.SecondaryCaptureSopClass);
        var offset = b.Position;
        b.ExplicitHeader(DicomTags.PixelData, "OB", 0xFFFFFFF0).Raw(new byte[100]);
        var ex = ExpectFormatError(source, b.ToArray(), offset, DicomTags.PixelData);
        if (source != Source.NonSeekableStream) Assert.Contains("4294967280", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Source.Bytes)]
    [InlineData(Source.NonSeekableStream)]
    [InlineData(Source.Path)]
    public void A_16_bit_length_beyond_the_input_raises_a_format_error_naming_the_offset(Source source)
    {
        var b = DicomByteBuilder.Part10(DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
        b.ExplicitText(DicomTags.SOPClassUID, "UI", SyntheticDatasets.SecondaryCaptureSopClass);
        var offset = b.Position;
        b.ExplicitHeader(DicomTags.PatientName, "PN", 0xFFF0).Raw("Doe^John"u8);
        ExpectFormatError(source, b.ToArray(), offset, DicomTags.PatientName);
    }

    [Theory]
    [InlineData(Source.Bytes)]
    [InlineData(Source.NonSeekableStream)]
    [InlineData(Source.Path)]
    public void A_lying_length_in_a_raw_implicit_dataset_raises_a_format_error(Source source)
    {
        var b = new DicomByteBuilder();
        b.ImplicitText(DicomTags.SOPClassUID, SyntheticDatasets.SecondaryCaptureSopClass, uid: true);
        var offset = b.Position;
        b.Implicit(DicomTags.PatientID, "ABCD"u8, length: 0x7FFFFFFE);
        ExpectFormatError(source, b.ToArray(), offset, DicomTags.PatientID);
    }

    [Theory]
    [InlineData(Source.Bytes)]
    [InlineData(Source.Path)]
    public void An_item_length_beyond_the_input_raises_a_format_error_at_the_item(Source source)
    {
        var b = DicomByteBuilder.Part10(DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
        b.ExplicitHeader(DicomTags.ReferencedImageSequence, "SQ", DicomByteBuilder.Undefined);
        var offset = b.Position;
        b.ItemStart(0x7FFFFFF0);
        b.ExplicitText(DicomTags.ReferencedSOPInstanceUID, "UI", "1.2.3");
        ExpectFormatError(source, b.ToArray(), offset, DicomTags.ReferencedImageSequence);
    }

    [Theory]
    [InlineData(Source.Bytes)]
    [InlineData(Source.Path)]
    public void A_sequence_length_beyond_the_input_raises_a_format_error(Source source)
    {
        var b = DicomByteBuilder.Part10(DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
        var offset = b.Position;
        b.ExplicitHeader(DicomTags.ReferencedImageSequence, "SQ", 0x10000000);
        b.ItemStart();
        b.ItemEnd();
        ExpectFormatError(source, b.ToArray(), offset, DicomTags.ReferencedImageSequence);
    }

    [Theory]
    [InlineData(Source.Bytes)]
    [InlineData(Source.NonSeekableStream)]
    [InlineData(Source.Path)]
    public void A_fragment_length_beyond_the_input_raises_a_format_error(Source source)
    {
        var b = DicomByteBuilder.Part10("1.2.840.10008.1.2.5");
        var element = b.Position;
        b.ExplicitHeader(DicomTags.PixelData, "OB", DicomByteBuilder.Undefined);
        b.ItemStart(0);
        var offset = b.Position;
        b.ItemStart(0xFFFFFF00).Raw(new byte[64]);
        ExpectFormatError(source, b.ToArray(), offset, DicomTags.PixelData, element);
    }

    /// <summary>A stream that cannot seek or tell its length (a network body).</summary>
    internal sealed class NonSeekableStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes, writable: false);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 1000));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
