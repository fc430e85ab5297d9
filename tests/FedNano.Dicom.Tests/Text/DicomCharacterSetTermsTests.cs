using static FedNano.Dicom.Tests.Text.CharsetTestData;

namespace FedNano.Dicom.Tests.Text;

public class DicomCharacterSetTermsTests
{
    [Fact]
    public void Default_set_is_the_default_repertoire_without_terms()
    {
        Assert.True(DicomCharacterSet.Default.IsDefault);
        Assert.Empty(DicomCharacterSet.Default.Terms);
        Assert.False(DicomCharacterSet.Default.UsesCodeExtensions);
    }

    [Fact]
    public void Utf8_set_has_the_ISO_IR_192_term() =>
        Assert.Equal(["ISO_IR 192"], DicomCharacterSet.Utf8.Terms);

    [Fact]
    public void ISO_IR_192_resolves_to_the_Utf8_instance() =>
        Assert.Same(DicomCharacterSet.Utf8, Charset("ISO_IR 192"));

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("ISO_IR 6")]
    [InlineData("ISO 2022 IR 6")]
    public void Terms_meaning_the_default_repertoire_resolve_to_the_default_set(string value) =>
        Assert.True(Charset(value).IsDefault);

    [Fact]
    public void No_values_resolve_to_the_default_set() =>
        Assert.Same(DicomCharacterSet.Default, DicomCharacterSet.FromSpecificCharacterSet([]));

    [Fact]
    public void Empty_first_value_is_kept_in_the_terms_of_a_code_extension_set()
    {
        var charset = Charset(@"\ISO 2022 IR 87");

        Assert.Equal(["", "ISO 2022 IR 87"], charset.Terms);
        Assert.True(charset.UsesCodeExtensions);
        Assert.False(charset.IsDefault);
    }

    [Fact]
    public void Single_byte_term_without_code_extensions_does_not_use_them() =>
        Assert.False(Charset("ISO_IR 100").UsesCodeExtensions);

    [Fact]
    public void Unknown_term_warns_and_falls_back_to_the_default_set()
    {
        var warnings = new List<string>();

        var charset = Charset("ISO_IR 999", warnings);

        Assert.True(charset.IsDefault);
        Assert.Contains(warnings, w => w.Contains("ISO_IR 999", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_term_fallback_still_decodes_high_bytes_as_Latin_1() =>
        Assert.Equal("José", Charset("WINDOWS-1252").Decode(Hex("4a 6f 73 e9"), DicomVR.PN));

    [Fact]
    public void Unknown_extension_term_is_ignored_and_the_others_kept()
    {
        var warnings = new List<string>();

        var charset = Charset(@"\ISO 2022 IR 999\ISO 2022 IR 87", warnings);

        Assert.Equal(["", "ISO 2022 IR 87"], charset.Terms);
        Assert.Single(warnings);
    }

    [Theory]
    [InlineData("ISO-IR 100")]
    [InlineData("ISO_IR_100")]
    [InlineData("iso_ir 100")]
    [InlineData("ISO IR 100")]
    public void Misspelt_term_is_accepted_with_a_warning(string value)
    {
        var warnings = new List<string>();

        var charset = Charset(value, warnings);

        Assert.Equal(["ISO_IR 100"], charset.Terms);
        Assert.Single(warnings);
    }

    [Fact]
    public void Term_without_code_extensions_among_several_values_is_read_as_its_ISO_2022_form()
    {
        var warnings = new List<string>();

        var charset = Charset(@"ISO_IR 100\ISO 2022 IR 126", warnings);

        Assert.Equal(["ISO 2022 IR 100", "ISO 2022 IR 126"], charset.Terms);
        Assert.NotEmpty(warnings);
    }

    [Fact]
    public void UTF_8_with_further_values_ignores_them_with_a_warning()
    {
        var warnings = new List<string>();

        var charset = Charset(@"ISO_IR 192\ISO 2022 IR 87", warnings);

        Assert.Same(DicomCharacterSet.Utf8, charset);
        Assert.NotEmpty(warnings);
    }

    [Fact]
    public void Standard_terms_produce_no_warnings()
    {
        var warnings = new List<string>();

        Charset(@"ISO 2022 IR 13\ISO 2022 IR 87\ISO 2022 IR 159", warnings);

        Assert.Empty(warnings);
    }

    [Fact]
    public void Interpreting_never_throws_for_garbage_values() =>
        Assert.True(DicomCharacterSet.FromSpecificCharacterSet(["\0\0", "\\", "ISO 2022", "  "]).IsDefault);

    [Theory]
    [InlineData("ISO_IR 100")] [InlineData("ISO_IR 101")] [InlineData("ISO_IR 109")] [InlineData("ISO_IR 110")]
    [InlineData("ISO_IR 144")] [InlineData("ISO_IR 127")] [InlineData("ISO_IR 126")] [InlineData("ISO_IR 138")]
    [InlineData("ISO_IR 148")] [InlineData("ISO_IR 203")] [InlineData("ISO_IR 13")] [InlineData("ISO_IR 166")]
    [InlineData("ISO_IR 192")] [InlineData("GB18030")] [InlineData("GBK")]
    [InlineData("ISO 2022 IR 100")] [InlineData("ISO 2022 IR 101")] [InlineData("ISO 2022 IR 109")]
    [InlineData("ISO 2022 IR 110")] [InlineData("ISO 2022 IR 144")] [InlineData("ISO 2022 IR 127")]
    [InlineData("ISO 2022 IR 126")] [InlineData("ISO 2022 IR 138")] [InlineData("ISO 2022 IR 148")]
    [InlineData("ISO 2022 IR 203")] [InlineData("ISO 2022 IR 13")] [InlineData("ISO 2022 IR 166")]
    [InlineData(@"\ISO 2022 IR 87")] [InlineData(@"\ISO 2022 IR 159")] [InlineData(@"\ISO 2022 IR 149")]
    [InlineData(@"\ISO 2022 IR 58")]
    public void Every_defined_term_is_recognised(string value)
    {
        var warnings = new List<string>();

        var charset = Charset(value, warnings);

        Assert.Empty(warnings);
        Assert.Equal(value.Split('\\'), charset.Terms);
    }
}
