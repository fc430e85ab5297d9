using System.Text;

namespace FedNano.Dicom.Tests.Web;

public class MultipartMalformedTests
{
    /// <summary>Reads every part to the end and returns the exception the body causes.</summary>
    private static async Task<MultipartFormatException> FailureAsync(string body, string boundary = "b", MultipartReaderOptions? options = null)
    {
        var reader = new MultipartRelatedReader(new MemoryStream(Encoding.ASCII.GetBytes(body)), boundary, options);
        return await Assert.ThrowsAsync<MultipartFormatException>(async () =>
        {
            while (await reader.ReadNextPartAsync() is { } part)
                await part.Body.CopyToAsync(Stream.Null);
        });
    }

    [Fact]
    public async Task Body_without_the_boundary_fails()
    {
        var e = await FailureAsync("just some text\r\n--other\r\n\r\nx\r\n--other--\r\n");

        Assert.Contains("no boundary delimiter '--b'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_body_fails()
    {
        var e = await FailureAsync("");

        Assert.Contains("no boundary delimiter", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_part_content_fails_while_reading_the_body()
    {
        var e = await FailureAsync("--b\r\nContent-Type: application/dicom\r\n\r\nabcdef");

        Assert.Contains("ends inside part 1", e.Message, StringComparison.Ordinal);
        Assert.Equal(46, e.Offset);
    }

    [Fact]
    public async Task Truncated_second_part_fails_when_skipped_unread()
    {
        var reader = new MultipartRelatedReader(new MemoryStream("--b\r\n\r\none\r\n--b\r\n\r\ntwo, cut"u8.ToArray()), "b");
        await reader.ReadNextPartAsync();
        await reader.ReadNextPartAsync();

        var e = await Assert.ThrowsAsync<MultipartFormatException>(async () => await reader.ReadNextPartAsync());

        Assert.Contains("ends inside part 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_headers_fail()
    {
        var e = await FailureAsync("--b\r\nContent-Type: application/dic");

        Assert.Contains("ends inside the headers of part 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_ending_after_a_delimiter_line_without_headers_fails()
    {
        var e = await FailureAsync("--b\r\n\r\none\r\n--b\r\n");

        Assert.Contains("headers of part 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Headers_over_the_limit_fail()
    {
        var e = await FailureAsync("--b\r\nX-Big: " + new string('a', 17_000) + "\r\n\r\nx\r\n--b--");

        Assert.Contains("exceed 16384 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_header_lines_over_a_configured_limit_fail()
    {
        var headers = string.Concat(Enumerable.Range(0, 20).Select(i => $"X-H{i}: {i}\r\n"));

        var e = await FailureAsync("--b\r\n" + headers + "\r\nx\r\n--b--", options: new() { MaxHeaderBytes = 100 });

        Assert.Contains("exceed 100 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Header_line_without_a_colon_fails()
    {
        var e = await FailureAsync("--b\r\nContent-Type application/dicom\r\n\r\nx\r\n--b--");

        Assert.Contains("Malformed header line 'Content-Type application/dicom'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Header_name_with_whitespace_before_the_colon_fails()
    {
        var e = await FailureAsync("--b\r\nContent-Type : application/dicom\r\n\r\nx\r\n--b--");

        Assert.Contains("Malformed header line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Continuation_line_before_any_header_fails()
    {
        var e = await FailureAsync("--b\r\n folded\r\n\r\nx\r\n--b--");

        Assert.Contains("continuation line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delimiter_followed_by_other_characters_fails()
    {
        var e = await FailureAsync("--b\r\n\r\none\r\n--bX\r\n\r\ntwo\r\n--b--");

        Assert.Contains("followed by 'X\\r\\n", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closing_delimiter_cut_after_one_dash_fails()
    {
        var e = await FailureAsync("--b\r\n\r\none\r\n--b-");

        Assert.Contains("ends inside the closing delimiter", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bare_LF_line_endings_fail_by_default()
    {
        var e = await FailureAsync("--b\r\nContent-Type: text/plain\n\r\nx\r\n--b--");

        Assert.Contains("bare LF", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bare_LF_after_the_delimiter_fails_by_default()
    {
        var e = await FailureAsync("--b\n\nx\n--b--");

        Assert.Contains("instead of a line break", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/dicom", "not a multipart media type")]
    [InlineData("multipart/related; type=\"application/dicom\"", "has no boundary parameter")]
    [InlineData("multipart/related; boundary=\"\"", "the boundary is empty")]
    [InlineData("multipart/related; boundary=\"ends with space \"", "ends with a space")]
    [InlineData("multipart/related; boundary=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "at most 256")]
    [InlineData("multipart/related; type=\"application/dicom", "not terminated")]
    public void GetBoundary_rejects_unusable_content_types(string contentType, string reason)
    {
        var e = Assert.Throws<MultipartFormatException>(() => MultipartRelatedReader.GetBoundary(contentType));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetBoundary_accepts_the_73_character_boundary_Orthanc_sends()
    {
        const string boundary = "84356ce1-fe5b-4f5e-93a3-8d67c44e47cd-84356ce1-fe5b-4f5e-93a3-8d67c44e47cd";
        Assert.Equal(boundary, MultipartRelatedReader.GetBoundary($"multipart/related; type=\"application/dicom\"; boundary={boundary}"));
    }

    [Fact]
    public void Reader_constructor_rejects_an_invalid_boundary()
    {
        Assert.Throws<ArgumentException>(() => new MultipartRelatedReader(new MemoryStream(), new string('x', 257)));
        Assert.Throws<ArgumentException>(() => new MultipartRelatedReader(new MemoryStream(), "bad\rboundary"));
    }
}
