namespace FedNano.Dicom.Tests.Web;

public class MediaTypeValueTests
{
    [Fact]
    public void Quoted_type_parameter_of_multipart_related_is_unquoted()
    {
        var mt = MediaTypeValue.Parse("multipart/related; type=\"application/dicom\"; boundary=abc");

        Assert.Equal("multipart", mt.Type);
        Assert.Equal("related", mt.SubType);
        Assert.Equal("application/dicom", mt.GetParameter("type"));
        Assert.Equal("abc", mt.GetParameter("boundary"));
    }

    [Fact]
    public void Unquoted_type_parameter_with_a_slash_is_accepted()
    {
        var mt = MediaTypeValue.Parse("multipart/related; type=application/dicom; boundary=abc");

        Assert.Equal("application/dicom", mt.GetParameter("type"));
        Assert.Equal("abc", mt.GetParameter("boundary"));
    }

    [Fact]
    public void Type_subtype_and_parameter_names_are_case_insensitive_and_values_keep_their_case()
    {
        var mt = MediaTypeValue.Parse("Multipart/RELATED; Type=\"Application/DICOM\"; BOUNDARY=AbC");

        Assert.Equal("multipart/related", mt.MediaType);
        Assert.True(mt.HasMediaType("MULTIPART/Related"));
        Assert.Equal("Application/DICOM", mt.GetParameter("TYPE"));
        Assert.Equal("AbC", mt.GetParameter("boundary"));
        Assert.Equal(["type", "boundary"], mt.Parameters.Select(p => p.Key));
    }

    [Fact]
    public void Whitespace_around_separators_and_empty_parameters_are_skipped()
    {
        var mt = MediaTypeValue.Parse(" multipart/related ;type = \"application/dicom\" ;; \t boundary=abc ; ");

        Assert.Equal("multipart/related; type=\"application/dicom\"; boundary=abc", mt.ToString());
    }

    [Fact]
    public void Quoted_pairs_are_unescaped()
    {
        var mt = MediaTypeValue.Parse(@"text/plain; title=""a \""quoted\"" \\ word; with, separators""");

        Assert.Equal(@"a ""quoted"" \ word; with, separators", mt.GetParameter("title"));
    }

    [Fact]
    public void ToString_quotes_values_that_are_not_tokens_and_escapes_quotes_and_backslashes()
    {
        var mt = new MediaTypeValue("multipart/related", [new("type", "application/dicom"), new("transfer-syntax", "*"), new("x", "a\"b\\c"), new("e", "")]);

        Assert.Equal(@"multipart/related; type=""application/dicom""; transfer-syntax=*; x=""a\""b\\c""; e=""""", mt.ToString());
    }

    [Theory]
    [InlineData("multipart/related; type=\"application/dicom\"; boundary=abc")]
    [InlineData("application/dicom; transfer-syntax=1.2.840.10008.1.2.4.50")]
    [InlineData("text/plain; title=\"x \\\"y\\\" z\"; charset=utf-8")]
    [InlineData("*/*")]
    public void ToString_round_trips_through_Parse(string text)
    {
        var first = MediaTypeValue.Parse(text);
        var second = MediaTypeValue.Parse(first.ToString());

        Assert.Equal(first.ToString(), second.ToString());
        Assert.Equal(first.Parameters, second.Parameters);
    }

    [Theory]
    [InlineData("")]
    [InlineData("multipart")]
    [InlineData("multipart/")]
    [InlineData("/related")]
    [InlineData("multipart related")]
    [InlineData("*/json")]
    [InlineData("a/b; type")]
    [InlineData("a/b; type=")]
    [InlineData("a/b; type=;")]
    [InlineData("a/b; =x")]
    [InlineData("a/b; type=\"unterminated")]
    [InlineData("a/b; type=\"x\"y")]
    [InlineData("a/b; type=x y")]
    [InlineData("a/b; type=\"x\u0001\"")]
    [InlineData("a/b, c/d")]
    public void Malformed_media_types_throw_FormatException_naming_the_input(string text)
    {
        var e = Assert.Throws<FormatException>(() => MediaTypeValue.Parse(text));

        Assert.Contains($"'{text}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_returns_false_for_a_malformed_value_and_for_null()
    {
        Assert.False(MediaTypeValue.TryParse("multipart/related; type=\"x", out var result));
        Assert.Null(result);
        Assert.False(MediaTypeValue.TryParse(null, out _));
        Assert.True(MediaTypeValue.TryParse("application/dicom", out result));
        Assert.Equal("application/dicom", result.MediaType);
    }

    [Fact]
    public void WithParameter_replaces_in_place_appends_and_removes()
    {
        var mt = MediaTypeValue.Parse("multipart/related; type=\"application/dicom\"; boundary=abc");

        Assert.Equal("multipart/related; type=\"application/dicom+json\"; boundary=abc", mt.WithParameter("TYPE", "application/dicom+json").ToString());
        Assert.Equal("multipart/related; type=\"application/dicom\"; boundary=abc; transfer-syntax=*", mt.WithParameter("transfer-syntax", "*").ToString());
        Assert.Equal("multipart/related; boundary=abc", mt.WithParameter("type", null).ToString());
    }

    [Fact]
    public void Constructor_rejects_an_invalid_media_type_or_parameter()
    {
        Assert.Throws<ArgumentException>(() => new MediaTypeValue("application"));
        Assert.Throws<ArgumentException>(() => new MediaTypeValue("application/dicom", [new("bad name", "x")]));
        Assert.Throws<ArgumentException>(() => new MediaTypeValue("application/dicom", [new("x", "a\r\nInjected: yes")]));
    }

    [Fact]
    public void Multipart_helper_builds_a_DICOMweb_type_and_IsMultipartRelated_compares_it_quoted_or_not()
    {
        Assert.Equal("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1",
            DicomWebMediaTypes.Multipart(DicomWebMediaTypes.ApplicationDicom, DicomWebMediaTypes.ExplicitVRLittleEndian).ToString());
        Assert.True(DicomWebMediaTypes.IsMultipartRelated(MediaTypeValue.Parse("multipart/related; type=application/DICOM; boundary=x"), "application/dicom"));
        Assert.False(DicomWebMediaTypes.IsMultipartRelated(MediaTypeValue.Parse("multipart/related; type=\"application/dicom+json\""), "application/dicom"));
        Assert.False(DicomWebMediaTypes.IsMultipartRelated(MediaTypeValue.Parse("multipart/related; boundary=x"), "application/dicom"));
        Assert.True(DicomWebMediaTypes.IsMultipartRelated(MediaTypeValue.Parse("multipart/related; boundary=x"), "application/dicom", allowMissingType: true));
    }
}
