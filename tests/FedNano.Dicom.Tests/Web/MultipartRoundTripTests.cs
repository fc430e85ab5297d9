using System.Text;

namespace FedNano.Dicom.Tests.Web;

public class MultipartRoundTripTests
{
    public enum Fragmentation { None, OneByte, RandomChunks }

    /// <summary>Random binary bodies (some empty) salted with CRLF, "--" and every proper prefix of "CRLF--boundary".</summary>
    private static List<byte[]> Bodies(int count, string boundary, int seed)
    {
        var random = new Random(seed);
        var delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
        var bodies = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var body = new List<byte>();
            var size = i % 7 == 3 ? 0 : random.Next(1, count > 50 ? 3000 : 40_000);
            while (body.Count < size)
            {
                switch (random.Next(4))
                {
                    case 0:
                        body.AddRange(delimiter.AsSpan(0, random.Next(1, delimiter.Length)).ToArray());
                        break;
                    case 1:
                        body.AddRange("\r\n"u8.ToArray());
                        break;
                    default:
                        var chunk = new byte[random.Next(1, 200)];
                        random.NextBytes(chunk);
                        body.AddRange(chunk);
                        break;
                }
            }
            if (i % 5 == 1) body.AddRange(delimiter.AsSpan(0, delimiter.Length - 1).ToArray()); // ends with an almost-delimiter
            if (i % 5 == 2) body.Add((byte)'\r');
            bodies.Add([.. body]);
        }
        return bodies;
    }

    private static async Task<(byte[] Body, string ContentType)> WriteAsync(IReadOnlyList<byte[]> bodies, string? boundary = null)
    {
        var output = new MemoryStream();
        var writer = new MultipartRelatedWriter(output, boundary: boundary);
        for (var i = 0; i < bodies.Count; i++)
        {
            var headers = new Dictionary<string, string> { ["Content-Location"] = $"/parts/{i}" };
            if (i % 2 == 0) await writer.WritePartAsync(bodies[i], "application/dicom", headers);
            else await writer.WritePartAsync(new MemoryStream(bodies[i]), "application/dicom", headers);
        }
        await writer.CompleteAsync();
        return (output.ToArray(), writer.ContentType);
    }

    private static Stream Input(byte[] body, Fragmentation fragmentation) => fragmentation switch
    {
        Fragmentation.OneByte => ChunkedReadStream.OneByteAtATime(body),
        Fragmentation.RandomChunks => ChunkedReadStream.RandomChunks(body, seed: body.Length),
        _ => new MemoryStream(body, writable: false),
    };

    private static async Task<List<(IReadOnlyDictionary<string, string> Headers, byte[] Body)>> ReadAllAsync(
        Stream input, string boundary, MultipartReaderOptions? options = null, Func<int>? readSize = null)
    {
        var reader = new MultipartRelatedReader(input, boundary, options);
        var parts = new List<(IReadOnlyDictionary<string, string>, byte[])>();
        while (await reader.ReadNextPartAsync() is { } part)
        {
            var content = new MemoryStream();
            if (readSize is null)
                await part.Body.CopyToAsync(content);
            else
            {
                var buffer = new byte[100_000];
                int n;
                while ((n = await part.Body.ReadAsync(buffer.AsMemory(0, readSize()))) > 0)
                    content.Write(buffer, 0, n);
            }
            parts.Add((part.Headers, content.ToArray()));
        }
        Assert.Null(await reader.ReadNextPartAsync());
        return parts;
    }

    private static async Task<List<(IReadOnlyDictionary<string, string> Headers, byte[] Body)>> ReadAllAsync(string body, string boundary = "b", MultipartReaderOptions? options = null) =>
        await ReadAllAsync(new MemoryStream(Encoding.ASCII.GetBytes(body)), boundary, options);

    [Theory]
    [InlineData(1, Fragmentation.None)]
    [InlineData(3, Fragmentation.None)]
    [InlineData(200, Fragmentation.None)]
    [InlineData(1, Fragmentation.OneByte)]
    [InlineData(3, Fragmentation.OneByte)]
    [InlineData(200, Fragmentation.OneByte)]
    [InlineData(1, Fragmentation.RandomChunks)]
    [InlineData(3, Fragmentation.RandomChunks)]
    [InlineData(200, Fragmentation.RandomChunks)]
    public async Task Writer_output_reads_back_as_the_same_parts(int count, Fragmentation fragmentation)
    {
        var boundary = MultipartRelatedWriter.GenerateBoundary();
        var bodies = Bodies(count, boundary, seed: count);
        var (body, contentType) = await WriteAsync(bodies, boundary);

        var parts = await ReadAllAsync(Input(body, fragmentation), MultipartRelatedReader.GetBoundary(contentType));

        Assert.Equal(count, parts.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(bodies[i], parts[i].Body);
            Assert.Equal("application/dicom", parts[i].Headers["content-type"]);
            Assert.Equal($"/parts/{i}", parts[i].Headers["Content-Location"]);
        }
    }

    [Fact]
    public async Task Reads_of_random_small_sizes_return_the_same_content()
    {
        var boundary = MultipartRelatedWriter.GenerateBoundary();
        var bodies = Bodies(20, boundary, seed: 7);
        var (body, _) = await WriteAsync(bodies, boundary);
        var random = new Random(3);

        var parts = await ReadAllAsync(ChunkedReadStream.RandomChunks(body, 5), boundary, readSize: () => random.Next(1, 20));

        Assert.Equal(bodies, parts.Select(p => p.Body));
    }

    [Fact]
    public async Task Synchronous_reads_of_the_part_body_return_the_same_content()
    {
        var bodies = Bodies(5, "sync-boundary", seed: 11);
        var (body, contentType) = await WriteAsync(bodies, "sync-boundary");
        var reader = new MultipartRelatedReader(ChunkedReadStream.RandomChunks(body, 1), MultipartRelatedReader.GetBoundary(contentType));

        var read = new List<byte[]>();
        while (await reader.ReadNextPartAsync() is { } part)
        {
            var content = new MemoryStream();
            part.Body.CopyTo(content);
            read.Add(content.ToArray());
        }

        Assert.Equal(bodies, read);
    }

    [Fact]
    public void Writer_content_type_names_the_type_and_a_random_token_boundary()
    {
        var writer = new MultipartRelatedWriter(new MemoryStream());
        var other = new MultipartRelatedWriter(new MemoryStream());

        Assert.Matches("^multipart/related; type=\"application/dicom\"; boundary=fednano-[0-9a-f]{32}$", writer.ContentType);
        Assert.NotEqual(writer.Boundary, other.Boundary);
    }

    [Fact]
    public void Writer_content_type_carries_extra_parameters_before_the_boundary()
    {
        var writer = new MultipartRelatedWriter(new MemoryStream(), "application/dicom", "abc",
            [new(DicomWebMediaTypes.TransferSyntaxParameter, DicomWebMediaTypes.ExplicitVRLittleEndian)]);

        Assert.Equal("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1; boundary=abc", writer.ContentType);
    }

    [Fact]
    public async Task Writer_produces_the_RFC_2046_layout()
    {
        var output = new MemoryStream();
        var writer = new MultipartRelatedWriter(output, boundary: "B");
        await writer.WritePartAsync("one"u8.ToArray(), "application/dicom");
        await writer.WritePartAsync(new MemoryStream("two"u8.ToArray()), "application/dicom", new Dictionary<string, string> { ["Content-Location"] = "x" });
        await writer.CompleteAsync();

        Assert.Equal("--B\r\nContent-Type: application/dicom\r\n\r\none\r\n--B\r\nContent-Type: application/dicom\r\nContent-Location: x\r\n\r\ntwo\r\n--B--\r\n",
            Encoding.ASCII.GetString(output.ToArray()));
    }

    [Fact]
    public async Task Writer_rejects_header_injection_and_parts_after_completion()
    {
        var writer = new MultipartRelatedWriter(new MemoryStream());

        await Assert.ThrowsAsync<ArgumentException>(() => writer.WritePartAsync("x"u8.ToArray(), "application/dicom\r\nX-Evil: 1"));
        await writer.CompleteAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WritePartAsync("x"u8.ToArray(), "application/dicom"));
    }

    [Fact]
    public async Task Writer_with_no_parts_reads_back_as_no_parts()
    {
        var output = new MemoryStream();
        var writer = new MultipartRelatedWriter(output);
        await writer.CompleteAsync();

        Assert.Empty(await ReadAllAsync(new MemoryStream(output.ToArray()), writer.Boundary));
    }

    [Fact]
    public async Task Preamble_and_epilogue_are_ignored()
    {
        var parts = await ReadAllAsync("This is the preamble.\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\nThis is the epilogue.\r\n--b\r\n");

        Assert.Equal("hello", Encoding.ASCII.GetString(Assert.Single(parts).Body));
    }

    [Fact]
    public async Task Missing_final_CRLF_after_the_closing_delimiter_is_accepted()
    {
        var parts = await ReadAllAsync("--b\r\n\r\nhello\r\n--b--");

        Assert.Equal("hello", Encoding.ASCII.GetString(Assert.Single(parts).Body));
    }

    [Fact]
    public async Task Body_ending_right_after_a_delimiter_is_accepted()
    {
        var parts = await ReadAllAsync("--b\r\n\r\nhello\r\n--b");

        Assert.Equal("hello", Encoding.ASCII.GetString(Assert.Single(parts).Body));
    }

    [Fact]
    public async Task Transport_padding_after_a_delimiter_is_skipped()
    {
        var parts = await ReadAllAsync("--b \t \r\n\r\none\r\n--b  \r\n\r\ntwo\r\n--b--");

        Assert.Equal(["one", "two"], parts.Select(p => Encoding.ASCII.GetString(p.Body)));
    }

    [Fact]
    public async Task Part_without_headers_and_empty_part_are_read()
    {
        var parts = await ReadAllAsync("--b\r\n\r\nno headers\r\n--b\r\nContent-Type: application/dicom\r\n\r\n\r\n--b--\r\n");

        Assert.Empty(parts[0].Headers);
        Assert.Equal("no headers", Encoding.ASCII.GetString(parts[0].Body));
        Assert.Empty(parts[1].Body);
    }

    [Fact]
    public async Task Header_names_are_case_insensitive_values_trimmed_and_folded_lines_unfolded()
    {
        var parts = await ReadAllAsync("--b\r\ncontent-TYPE:   application/dicom  \r\nX-Long: first\r\n  second\r\nX-Twice: 1\r\nx-twice: 2\r\n\r\ndata\r\n--b--");

        var headers = Assert.Single(parts).Headers;
        Assert.Equal("application/dicom", headers["Content-Type"]);
        Assert.Equal("first second", headers["x-long"]);
        Assert.Equal("1, 2", headers["X-Twice"]);
    }

    [Fact]
    public async Task Part_properties_expose_content_type_location_and_index()
    {
        var reader = new MultipartRelatedReader(new MemoryStream("--b\r\nContent-Type: application/dicom\r\nContent-Location: /x\r\n\r\n1\r\n--b--"u8.ToArray()), "b");

        var part = await reader.ReadNextPartAsync();

        Assert.NotNull(part);
        Assert.Equal("application/dicom", part.ContentType);
        Assert.Equal("/x", part.ContentLocation);
        Assert.Equal(0, part.Index);
        Assert.Equal(1, reader.PartCount);
    }

    [Fact]
    public async Task Unread_content_is_skipped_by_the_next_part()
    {
        var reader = new MultipartRelatedReader(new MemoryStream(Encoding.ASCII.GetBytes("--b\r\n\r\n" + new string('x', 200_000) + "\r\n--b\r\n\r\nsecond\r\n--b--")), "b");

        var first = await reader.ReadNextPartAsync();
        Assert.Equal((byte)'x', (byte)first!.Body.ReadByte());
        var second = await reader.ReadNextPartAsync();

        Assert.Equal("second", await new StreamReader(second!.Body).ReadToEndAsync());
        Assert.Null(await reader.ReadNextPartAsync());
    }

    [Fact]
    public async Task Previous_part_body_cannot_be_read_after_moving_on()
    {
        var reader = new MultipartRelatedReader(new MemoryStream("--b\r\n\r\none\r\n--b\r\n\r\ntwo\r\n--b--"u8.ToArray()), "b");
        var first = await reader.ReadNextPartAsync();
        await reader.ReadNextPartAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => _ = await first!.Body.ReadAsync(new byte[10]));
    }

    [Fact]
    public async Task Boundary_of_70_characters_with_quoted_special_characters_works()
    {
        var boundary = "'()+_,-./:=? " + new string('z', 57);
        var contentType = $"multipart/related; type=\"application/dicom\"; boundary=\"{boundary}\"";
        var bodies = Bodies(3, boundary, seed: 70);
        var (body, _) = await WriteAsync(bodies, boundary);

        var parts = await ReadAllAsync(new MemoryStream(body), MultipartRelatedReader.GetBoundary(contentType));

        Assert.Equal(70, boundary.Length);
        Assert.Equal(bodies, parts.Select(p => p.Body));
    }

    [Fact]
    public async Task Bare_LF_line_endings_are_read_when_allowed()
    {
        var parts = await ReadAllAsync("preamble\n--b\nContent-Type: text/plain\n\none\r\n--b\n\ntwo\r\n\n--b--\n", options: new() { AllowBareLineFeeds = true });

        Assert.Equal("text/plain", parts[0].Headers["Content-Type"]);
        Assert.Equal(["one", "two\r\n"], parts.Select(p => Encoding.ASCII.GetString(p.Body)));
    }

    [Fact]
    public async Task Bare_LF_content_with_carriage_returns_reads_back_when_allowed_through_one_byte_reads()
    {
        var boundary = "lf-boundary";
        var bodies = Bodies(10, boundary, seed: 99);
        bodies.Add("\r\r\r"u8.ToArray());
        var (body, _) = await WriteAsync(bodies, boundary);

        var parts = await ReadAllAsync(ChunkedReadStream.OneByteAtATime(body), boundary, new() { AllowBareLineFeeds = true });

        Assert.Equal(bodies, parts.Select(p => p.Body));
    }
}
