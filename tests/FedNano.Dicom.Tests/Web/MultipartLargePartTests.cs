using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace FedNano.Dicom.Tests.Web;

public class MultipartLargePartTests(ITestOutputHelper output)
{
    private const long PartSize = 200L * 1024 * 1024;

    /// <summary>A 65,521-byte (prime) random block salted with proper prefixes of the delimiter, so the period never aligns with buffers.</summary>
    private static PeriodicPattern Pattern(string boundary)
    {
        var random = new Random(42);
        var block = new byte[65_521];
        random.NextBytes(block);
        var delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
        for (var at = 100; at + delimiter.Length < block.Length; at += 997)
            delimiter.AsSpan(0, 1 + at % (delimiter.Length - 1)).CopyTo(block.AsSpan(at));
        return new PeriodicPattern(block);
    }

    [Fact]
    public async Task A_200_MB_part_is_streamed_with_bounded_allocations()
    {
        const string boundary = "fednano-large-part-boundary";
        var pattern = Pattern(boundary);
        var head = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n");
        var tail = Encoding.ASCII.GetBytes($"\r\n--{boundary}\r\nContent-Type: application/dicom\r\n\r\nsmall\r\n--{boundary}--\r\n");
        var input = new GeneratedBodyStream(head, pattern, PartSize, tail);
        var sink = new PatternCheckingStream(pattern);

        // Every read completes synchronously, so all the work runs on this thread.
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var reader = new MultipartRelatedReader(input, boundary);
        var part = await reader.ReadNextPartAsync();
        await part!.Body.CopyToAsync(sink);
        var second = await reader.ReadNextPartAsync();
        var end = await reader.ReadNextPartAsync();
        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Equal(PartSize, sink.BytesWritten);
        Assert.False(sink.Mismatch);
        Assert.NotNull(second);
        Assert.Null(end);
        Assert.True(allocated < 1024 * 1024, $"{allocated} bytes allocated to stream a {PartSize}-byte part");
        output.WriteLine($"200 MB part: {PartSize / 1e6 / watch.Elapsed.TotalSeconds:F0} MB/s (including pattern generation and checking), {allocated} bytes allocated");
    }

    [Fact]
    public async Task Reading_in_memory_parts_reports_throughput()
    {
        var boundary = MultipartRelatedWriter.GenerateBoundary();
        var pattern = Pattern(boundary);
        var content = new byte[8 * 1024 * 1024];
        for (var offset = 0; offset < content.Length;)
            offset += pattern.Fill(offset, content.AsSpan(offset));
        var body = new MemoryStream();
        var writer = new MultipartRelatedWriter(body, boundary: boundary);
        for (var i = 0; i < 16; i++) await writer.WritePartAsync(content, "application/dicom");
        await writer.CompleteAsync();
        var bytes = body.ToArray();

        var best = TimeSpan.MaxValue;
        long total = 0;
        for (var round = 0; round < 3; round++)
        {
            var watch = Stopwatch.StartNew();
            var reader = new MultipartRelatedReader(new MemoryStream(bytes, writable: false), boundary);
            total = 0;
            while (await reader.ReadNextPartAsync() is { } part)
            {
                var counter = new CountingStream();
                await part.Body.CopyToAsync(counter);
                total += counter.Count;
            }
            watch.Stop();
            if (watch.Elapsed < best) best = watch.Elapsed;
        }

        Assert.Equal(16L * content.Length, total);
        output.WriteLine($"in-memory multipart read: {bytes.Length / 1e9 / best.TotalSeconds:F2} GB/s ({bytes.Length / 1e6:F0} MB in {best.TotalMilliseconds:F0} ms)");
    }

    private sealed class CountingStream : Stream
    {
        public long Count { get; private set; }
        public override void Write(byte[] buffer, int offset, int count) => Count += count;
        public override void Write(ReadOnlySpan<byte> buffer) => Count += buffer.Length;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Count += buffer.Length;
            return ValueTask.CompletedTask;
        }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Count;
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
