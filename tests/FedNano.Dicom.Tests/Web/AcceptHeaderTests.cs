namespace FedNano.Dicom.Tests.Web;

public class AcceptHeaderTests
{
    private const string Ele = DicomWebMediaTypes.ExplicitVRLittleEndian;
    private const string Jpeg = "1.2.840.10008.1.2.4.50";
    private const string Rle = "1.2.840.10008.1.2.5";
    private const string Implicit = "1.2.840.10008.1.2";

    private static readonly MediaTypeValue[] QidoRepresentations =
        [MediaTypeValue.Parse("application/dicom+json"), MediaTypeValue.Parse("application/json"), MediaTypeValue.Parse("multipart/related; type=\"application/dicom+json\"")];

    private static readonly MediaTypeValue[] DicomFamily = [DicomWebMediaTypes.Multipart(DicomWebMediaTypes.ApplicationDicom)];

    private static string? Negotiate(string? accept, params MediaTypeValue[] offered) =>
        AcceptHeader.Parse(accept).Negotiate(offered)?.Representation.ToString();

    private static string? TransferSyntax(string? accept, string stored, params string[] producible) =>
        AcceptHeader.Parse(accept).NegotiateTransferSyntax(DicomFamily, stored, producible)?.TransferSyntax;

    [Fact]
    public void Absent_header_means_any_media_type()
    {
        var header = AcceptHeader.Parse((string?)null);

        Assert.True(header.IsAbsent);
        Assert.Equal("*/*", Assert.Single(header.Entries).MediaRange.ToString());
        Assert.Equal("application/dicom+json", Negotiate(null, QidoRepresentations));
    }

    [Fact]
    public void Entries_are_ordered_by_quality_then_specificity_then_position()
    {
        var header = AcceptHeader.Parse("*/*; q=0.5, image/*, text/plain; q=0.5, image/png, image/jpeg; quality=1, application/json; q=0.8");

        Assert.Equal(["image/jpeg; quality=1", "image/png", "image/*", "application/json; q=0.8", "text/plain; q=0.5", "*/*; q=0.5"],
            header.Entries.Select(e => e.ToString()));
        Assert.Equal([4, 3, 1, 5, 2, 0], header.Entries.Select(e => e.Order));
    }

    [Fact]
    public void Zero_quality_ranges_are_not_in_the_entries()
    {
        var header = AcceptHeader.Parse("application/dicom+json, application/json; q=0");

        Assert.Equal("application/dicom+json", Assert.Single(header.Entries).MediaRange.ToString());
        Assert.Equal("application/json", Assert.Single(header.Excluded).MediaRange.ToString());
    }

    [Fact]
    public void Several_header_lines_and_comma_separated_values_are_combined_in_order()
    {
        var header = AcceptHeader.ParseAll(["image/png, image/jpeg", null, "multipart/related; type=\"application/dicom\"; q=0.9, application/dicom+json"]);

        Assert.Equal(["image/png", "image/jpeg", "application/dicom+json", "multipart/related; type=\"application/dicom\"; q=0.9"],
            header.Entries.Select(e => e.ToString()));
    }

    /// <summary>Shaped like ASP.NET's StringValues: a list of strings with implicit conversions to string and string[].</summary>
    private readonly struct HeaderValues(params string?[] values) : IReadOnlyList<string?>
    {
        private readonly string?[] _values = values;
        public static implicit operator string?(HeaderValues v) => string.Join(",", v._values);
        public static implicit operator string?[](HeaderValues v) => v._values;
        public string? this[int index] => _values[index];
        public int Count => _values.Length;
        public IEnumerator<string?> GetEnumerator() => ((IEnumerable<string?>)_values).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public void A_StringValues_like_collection_binds_to_ParseAll_and_to_Parse()
    {
        var lines = new HeaderValues("image/png", "image/jpeg; q=0.5");

        Assert.Equal(["image/png", "image/jpeg; q=0.5"], AcceptHeader.ParseAll(lines).Entries.Select(e => e.ToString()));
        Assert.Equal(2, AcceptHeader.Parse(lines).Entries.Count);
    }

    [Fact]
    public void Empty_list_elements_are_ignored()
    {
        var header = AcceptHeader.Parse(" , application/dicom+json,, ,image/png ,");

        Assert.Equal(["application/dicom+json", "image/png"], header.Entries.Select(e => e.MediaRange.ToString()));
    }

    [Fact]
    public void Commas_inside_quoted_parameter_values_do_not_split_entries()
    {
        var header = AcceptHeader.Parse("text/plain; x=\"a, b\", image/png");

        Assert.Equal("a, b", header.Entries[0].MediaRange.GetParameter("x"));
        Assert.Equal(2, header.Entries.Count);
    }

    [Fact]
    public void Java_style_star_range_and_leading_dot_q_value_are_tolerated()
    {
        var header = AcceptHeader.Parse("text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2");

        Assert.Equal(0.2, header.Entries[^1].Quality);
        Assert.Equal("*/*", header.Entries[^1].MediaRange.MediaType);
    }

    [Theory]
    [InlineData("application/")]
    [InlineData("*/json")]
    [InlineData("text/html; q=2")]
    [InlineData("text/html; q=1.5")]
    [InlineData("text/html; q=0.1234")]
    [InlineData("text/html; q=abc")]
    [InlineData("text/html; q=")]
    [InlineData("text/html; x=\"unterminated, image/png")]
    [InlineData("text/html image/png")]
    public void Malformed_accept_headers_throw_FormatException(string accept)
    {
        var e = Assert.Throws<FormatException>(() => AcceptHeader.Parse(accept));

        Assert.StartsWith("Invalid Accept header", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_reports_the_reason_for_a_malformed_header()
    {
        Assert.False(AcceptHeader.TryParseAll(["application/dicom+json; q=7"], out var header, out var error));
        Assert.Null(header);
        Assert.Contains("'7' is not a valid q value", error, StringComparison.Ordinal);
        Assert.False(AcceptHeader.TryParse("image/", out _));
    }

    [Fact]
    public void Star_star_yields_the_resource_default()
    {
        Assert.Equal("application/dicom+json", Negotiate("*/*", QidoRepresentations));
    }

    [Fact]
    public void Application_json_is_served_when_asked_for()
    {
        Assert.Equal("application/json", Negotiate("application/json", QidoRepresentations));
    }

    [Fact]
    public void Multipart_dicom_json_matches_only_the_multipart_representation()
    {
        Assert.Equal("multipart/related; type=\"application/dicom+json\"",
            Negotiate("multipart/related; type=\"application/dicom+json\"", QidoRepresentations));
    }

    [Fact]
    public void Unquoted_type_parameter_matches_a_quoted_representation_case_insensitively()
    {
        Assert.Equal("multipart/related; type=\"application/dicom+json\"",
            Negotiate("multipart/related; type=Application/Dicom+Json", QidoRepresentations));
    }

    [Fact]
    public void A_different_type_parameter_does_not_match()
    {
        Assert.Null(Negotiate("multipart/related; type=\"application/dicom\"", QidoRepresentations));
    }

    [Fact]
    public void Nothing_acceptable_gives_null_for_a_406()
    {
        Assert.Null(Negotiate("application/dicom+xml, image/*", QidoRepresentations));
    }

    [Fact]
    public void Parameters_the_representation_does_not_declare_are_ignored()
    {
        Assert.Equal("application/dicom+json", Negotiate("application/dicom+json; charset=utf-8", QidoRepresentations));
    }

    [Fact]
    public void Higher_quality_wins_over_header_order()
    {
        Assert.Equal("image/jpeg", Negotiate("image/png; q=0.5, image/jpeg", MediaTypeValue.Parse("image/png"), MediaTypeValue.Parse("image/jpeg")));
    }

    [Fact]
    public void Client_order_breaks_ties_between_equal_quality_ranges()
    {
        Assert.Equal("image/png", Negotiate("image/png, image/jpeg", MediaTypeValue.Parse("image/jpeg"), MediaTypeValue.Parse("image/png")));
    }

    [Fact]
    public void Specific_range_beats_a_wildcard_of_the_same_quality()
    {
        Assert.Equal("image/png", Negotiate("*/*, image/png", MediaTypeValue.Parse("image/jpeg"), MediaTypeValue.Parse("image/png")));
    }

    [Fact]
    public void Specific_zero_quality_refuses_a_representation_a_wildcard_would_accept()
    {
        Assert.Equal("image/png", Negotiate("image/*, image/jpeg; q=0", MediaTypeValue.Parse("image/jpeg"), MediaTypeValue.Parse("image/png")));
        Assert.False(AcceptHeader.Parse("*/*, image/jpeg; q=0").Accepts(MediaTypeValue.Parse("image/jpeg")));
    }

    [Fact]
    public void Negotiate_reports_the_matching_range_and_index()
    {
        var match = AcceptHeader.Parse("text/html, image/*; q=0.7").Negotiate("image/jpeg", "image/png");

        Assert.NotNull(match);
        Assert.Equal(0, match.Index);
        Assert.Equal("image/*", match.Range.MediaRange.ToString());
        Assert.Equal(0.7, match.Range.Quality);
    }

    [Fact]
    public void Transfer_syntax_defaults_to_explicit_vr_little_endian()
    {
        Assert.Equal(Ele, TransferSyntax("multipart/related; type=\"application/dicom\"", Rle, Ele, Implicit));
    }

    [Fact]
    public void Transfer_syntax_star_gets_the_stored_syntax()
    {
        Assert.Equal(Rle, TransferSyntax("multipart/related; type=\"application/dicom\"; transfer-syntax=*", Rle, Ele, Implicit));
    }

    [Fact]
    public void Explicitly_requested_producible_transfer_syntax_is_chosen()
    {
        Assert.Equal(Implicit, TransferSyntax($"multipart/related; type=application/dicom; transfer-syntax={Implicit}", Rle, Ele, Implicit));
    }

    [Fact]
    public void Unproducible_transfer_syntax_gives_null_for_a_406()
    {
        Assert.Null(TransferSyntax($"multipart/related; type=\"application/dicom\"; transfer-syntax={Jpeg}", Ele, Implicit, Rle));
    }

    [Fact]
    public void Any_media_type_gets_the_default_transfer_syntax()
    {
        Assert.Equal(Ele, TransferSyntax("*/*", Rle, Ele));
        Assert.Equal(Ele, TransferSyntax(null, Rle, Ele));
    }

    [Fact]
    public void Without_a_producible_default_an_unconstrained_range_gets_the_stored_syntax()
    {
        Assert.Equal(Jpeg, TransferSyntax("multipart/related; type=\"application/dicom\"", Jpeg));
    }

    [Fact]
    public void Transfer_syntax_ranges_are_weighed_by_quality()
    {
        var accept = $"multipart/related; type=\"application/dicom\"; transfer-syntax={Implicit}; q=0.5, "
            + $"multipart/related; type=\"application/dicom\"; transfer-syntax={Jpeg}, "
            + "multipart/related; type=\"application/dicom\"; transfer-syntax=*; q=0.1";

        Assert.Equal(Implicit, TransferSyntax(accept, Rle, Ele, Implicit));
        Assert.Equal(Jpeg, TransferSyntax(accept, Jpeg));
    }

    [Fact]
    public void Negotiated_dicom_representation_carries_the_concrete_transfer_syntax()
    {
        var match = AcceptHeader.Parse("multipart/related; type=\"application/dicom\"; transfer-syntax=*")
            .NegotiateTransferSyntax(DicomFamily, Rle, [Ele]);

        Assert.NotNull(match);
        Assert.Equal($"multipart/related; type=\"application/dicom\"; transfer-syntax={Rle}", match.Representation.ToString());
    }

    [Fact]
    public void Json_accept_does_not_match_a_dicom_resource()
    {
        Assert.Null(TransferSyntax("application/dicom+json", Ele, Ele));
    }
}
