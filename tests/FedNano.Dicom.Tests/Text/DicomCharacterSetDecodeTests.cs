using static FedNano.Dicom.Tests.Text.CharsetTestData;

namespace FedNano.Dicom.Tests.Text;

public class DicomCharacterSetDecodeTests
{
    [Fact]
    public void Japanese_person_name_with_ISO_2022_IR_87_decodes_as_in_PS3_5_H_3_1() =>
        Assert.Equal(JapaneseH31Text, Charset(@"\ISO 2022 IR 87").Decode(Hex(JapaneseH31Bytes), DicomVR.PN));

    [Fact]
    public void Japanese_person_name_with_ISO_2022_IR_13_and_IR_87_decodes_as_in_PS3_5_H_3_2() =>
        Assert.Equal(JapaneseH32Text,
            Charset(@"ISO 2022 IR 13\ISO 2022 IR 87").Decode(Hex(JapaneseH32Bytes), DicomVR.PN));

    [Fact]
    public void Korean_person_name_with_ISO_2022_IR_149_decodes_as_in_PS3_5_I_2() =>
        Assert.Equal(KoreanI2Text, Charset(@"\ISO 2022 IR 149").Decode(Hex(KoreanI2Bytes), DicomVR.PN));

    [Fact]
    public void Chinese_person_name_with_ISO_2022_IR_58_decodes_as_in_PS3_5_K_2() =>
        Assert.Equal(ChineseK2Text, Charset(@"\ISO 2022 IR 58").Decode(Hex(ChineseK2Bytes), DicomVR.PN));

    [Fact]
    public void Chinese_long_text_with_explicit_escapes_around_each_line_decodes_as_in_PS3_5_K_3()
    {
        var bytes = Hex(
            "31 2e 1b 24 29 41 b5 da d2 bb d0 d0 ce c4 d7 d6 a1 a3 1b 28 42 0d 0a " +
            "32 2e 1b 24 29 41 b5 da b6 fe d0 d0 ce c4 d7 d6 a1 a3 1b 28 42 0d 0a " +
            "33 2e 1b 24 29 41 b5 da c8 fd d0 d0 ce c4 d7 d6 a1 a3 1b 28 42 0d 0a 20");

        var text = Charset(@"\ISO 2022 IR 58").Decode(bytes, DicomVR.LT);

        Assert.Equal("1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n ", text);
    }

    [Fact]
    public void Chinese_person_name_in_GB18030_decodes_as_in_PS3_5_J_3() =>
        Assert.Equal(ChineseJ3Text, Charset("GB18030").Decode(Hex(ChineseJ3Bytes), DicomVR.PN));

    [Fact]
    public void Chinese_person_name_in_GBK_decodes_like_GB18030() =>
        Assert.Equal(ChineseJ3Text, Charset("GBK").Decode(Hex(ChineseJ3Bytes), DicomVR.PN));

    [Fact]
    public void UTF_8_person_name_decodes() =>
        Assert.Equal("Wang^XiaoDong=王^小東=", DicomCharacterSet.Utf8.Decode(
            Hex("57 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d e7 8e 8b 5e e5 b0 8f e6 9d b1 3d"), DicomVR.PN));

    [Theory]
    [InlineData("ISO_IR 100", "42 75 63 5e 4a e9 72 f4 6d 65", "Buc^Jérôme")]
    [InlineData("ISO_IR 100", "c4 6e 65 61 73 5e 52 fc 64 69 67 65 72", "Äneas^Rüdiger")]
    [InlineData("ISO_IR 101", "a3 f3 64 bc", "Łódź")]
    [InlineData("ISO_IR 126", "c4 e9 ef ed f5 f3 e9 ef f2", "Διονυσιος")]
    [InlineData("ISO_IR 144", "bb ee da 63 65 dc d1 79 70 d3", "Люкceмбypг")]
    [InlineData("ISO_IR 138", "f9 f8 e5 ef 5e e3 e1 e5 f8 e4", "שרון^דבורה")]
    [InlineData("ISO_IR 127", "e2 c8 c7 e6 ea 5e e4 e6 d2 c7 d1", "قباني^لنزار")]
    [InlineData("ISO_IR 148", "c7 61 f0 72 fd", "Çağrı")]
    [InlineData("ISO_IR 203", "a4 31 30", "€10")]
    [InlineData("ISO_IR 166", "c0 d2 c9 d2 e4 b7 c2", "ภาษาไทย")]
    [InlineData("ISO_IR 13", "d4 cf c0 de 5e c0 db b3", "ﾔﾏﾀﾞ^ﾀﾛｳ")]
    public void Single_byte_character_sets_decode_the_sample_names(string term, string hex, string expected) =>
        Assert.Equal(expected, Charset(term).Decode(Hex(hex), DicomVR.PN));

    [Fact]
    public void Single_byte_set_with_code_extensions_starts_with_its_G1_set_designated() =>
        Assert.Equal("Buc^Jérôme", Charset("ISO 2022 IR 100").Decode(Hex("42 75 63 5e 4a e9 72 f4 6d 65"), DicomVR.PN));

    [Fact]
    public void Escape_sequence_switches_G1_between_Latin_1_and_Greek() =>
        Assert.Equal("Buc^Jérôme=Διονυσιος", Charset(@"ISO 2022 IR 100\ISO 2022 IR 126").Decode(
            Hex("42 75 63 5e 4a e9 72 f4 6d 65 3d 1b 2d 46 c4 e9 ef ed f5 f3 e9 ef f2"), DicomVR.PN));

    [Fact]
    public void Korean_name_with_escape_sequence_decodes() =>
        Assert.Equal("김희중", Charset(@"\ISO 2022 IR 149").Decode(Hex("1b 24 29 43 b1 e8 c8 f1 c1 df"), DicomVR.PN));

    [Fact]
    public void Korean_bytes_without_escape_decode_when_ISO_2022_IR_149_is_the_only_term() =>
        Assert.Equal("김희중", Charset("ISO 2022 IR 149").Decode(Hex("b1 e8 c8 f1 c1 df"), DicomVR.PN));

    [Fact]
    public void Japanese_supplementary_kanji_in_JIS_X_0212_decode() =>
        Assert.Equal("齩", Charset(@"\ISO 2022 IR 159").Decode(Hex("1b 24 28 44 6d 4e 1b 28 42"), DicomVR.LO));

    [Fact]
    public void Japanese_text_mixing_JIS_X_0208_Romaji_katakana_and_JIS_X_0212_decodes()
    {
        var bytes = Hex("1b 24 42 24 22 1b 28 4a 61 1b 29 49 b1 1b 24 42 25 22 1b 24 28 44 6d 4e 1b 28 4a");

        var text = Charset(@"ISO 2022 IR 13\ISO 2022 IR 87\ISO 2022 IR 159").Decode(bytes, DicomVR.LO);

        Assert.Equal("あaｱア齩", text);
    }

    [Fact]
    public void Default_set_decodes_a_stray_high_byte_as_Latin_1() =>
        Assert.Equal("Ren^é", DicomCharacterSet.Default.Decode(Hex("52 65 6e 5e e9"), DicomVR.PN));

    [Fact]
    public void Default_set_still_honours_ISO_2022_escapes_found_in_undeclared_data() =>
        Assert.Equal("やまだ", DicomCharacterSet.Default.Decode(Hex("1b 24 42 24 64 24 5e 24 40 1b 28 42"), DicomVR.PN));

    [Fact]
    public void Value_separator_resets_G1_to_the_initial_set() =>
        Assert.Equal(@"α\é", Charset(@"ISO 2022 IR 100\ISO 2022 IR 126").Decode(Hex("1b 2d 46 e1 5c e9"), DicomVR.LO));

    [Fact]
    public void Caret_resets_G1_to_the_initial_set_in_person_names() =>
        Assert.Equal("α^é", Charset(@"ISO 2022 IR 100\ISO 2022 IR 126").Decode(Hex("1b 2d 46 e1 5e e9"), DicomVR.PN));

    [Fact]
    public void Caret_does_not_reset_outside_person_names() =>
        Assert.Equal("α^ι", Charset(@"ISO 2022 IR 100\ISO 2022 IR 126").Decode(Hex("1b 2d 46 e1 5e e9"), DicomVR.LO));

    [Fact]
    public void Backslash_does_not_reset_in_single_valued_text() =>
        Assert.Equal(@"α\ι", Charset(@"ISO 2022 IR 100\ISO 2022 IR 126").Decode(Hex("1b 2d 46 e1 5c e9"), DicomVR.LT));

    [Fact]
    public void Line_feed_resets_to_the_initial_set_in_text() =>
        Assert.Equal("α\né", Charset(@"ISO 2022 IR 100\ISO 2022 IR 126").Decode(Hex("1b 2d 46 e1 0a e9"), DicomVR.LT));

    [Fact]
    public void Backslash_byte_inside_a_JIS_X_0208_character_is_not_a_value_separator() =>
        Assert.Equal("ま", Charset(@"\ISO 2022 IR 87").Decode(Hex("1b 24 42 24 5e 1b 28 42"), DicomVR.PN));

    [Fact]
    public void Unknown_escape_sequence_is_dropped() =>
        Assert.Equal("AB", Charset(@"\ISO 2022 IR 87").Decode(Hex("41 1b 28 5a 42"), DicomVR.LO));

    [Fact]
    public void Truncated_double_byte_character_decodes_as_replacement_character() =>
        Assert.Equal("\uFFFD", Charset(@"\ISO 2022 IR 149").Decode(Hex("1b 24 29 43 b1"), DicomVR.LO));

    [Fact]
    public void Invalid_UTF_8_decodes_as_replacement_character_without_throwing() =>
        Assert.Equal("a\uFFFDb", DicomCharacterSet.Utf8.Decode(Hex("61 ff 62"), DicomVR.LO));

    [Fact]
    public void Values_of_VRs_that_are_not_character_set_dependent_decode_in_the_default_repertoire() =>
        Assert.Equal("ORIGINAL\\PRIMARY", Charset(@"\ISO 2022 IR 87").Decode(
            System.Text.Encoding.ASCII.GetBytes("ORIGINAL\\PRIMARY"), DicomVR.CS));

    [Fact]
    public void Padding_is_kept() =>
        Assert.Equal("Buc^Jérôme ", Charset("ISO_IR 100").Decode(Hex("42 75 63 5e 4a e9 72 f4 6d 65 20"), DicomVR.PN));
}
