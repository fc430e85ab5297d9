using System.Text;
using static FedNano.Dicom.Tests.Text.CharsetTestData;

namespace FedNano.Dicom.Tests.Text;

public class DicomCharacterSetEncodeTests
{
    [Fact]
    public void Japanese_person_name_encodes_to_the_bytes_of_PS3_5_H_3_1() =>
        Assert.Equal(Hex(JapaneseH31Bytes), Charset(@"\ISO 2022 IR 87").Encode(JapaneseH31Text, DicomVR.PN));

    [Fact]
    public void Japanese_person_name_with_katakana_encodes_to_the_bytes_of_PS3_5_H_3_2() =>
        Assert.Equal(Hex(JapaneseH32Bytes),
            Charset(@"ISO 2022 IR 13\ISO 2022 IR 87").Encode(JapaneseH32Text, DicomVR.PN));

    [Fact]
    public void Korean_person_name_encodes_to_the_bytes_of_PS3_5_I_2() =>
        Assert.Equal(Hex(KoreanI2Bytes), Charset(@"\ISO 2022 IR 149").Encode(KoreanI2Text, DicomVR.PN));

    [Fact]
    public void Chinese_person_name_encodes_to_the_bytes_of_PS3_5_K_2() =>
        Assert.Equal(Hex(ChineseK2Bytes), Charset(@"\ISO 2022 IR 58").Encode(ChineseK2Text, DicomVR.PN));

    [Fact]
    public void Chinese_person_name_with_ISO_2022_IR_58_designates_GB_2312_in_each_component() =>
        Assert.Equal(
            Hex("57 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d 1b 24 29 41 cd f5 5e 1b 24 29 41 d0 a1 b6 ab 3d"),
            Charset(@"\ISO 2022 IR 58").Encode(ChineseJ3Text, DicomVR.PN));

    [Fact]
    public void Chinese_person_name_encodes_to_the_GB18030_bytes_of_PS3_5_J_3() =>
        Assert.Equal(Hex(ChineseJ3Bytes), Charset("GB18030").Encode(ChineseJ3Text, DicomVR.PN));

    [Fact]
    public void Chinese_long_text_with_code_extensions_round_trips_line_by_line()
    {
        var charset = Charset(@"\ISO 2022 IR 58");
        const string text = "1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n";

        Assert.Equal(text, charset.Decode(charset.Encode(text, DicomVR.LT), DicomVR.LT));
    }

    [Theory]
    [InlineData("ISO_IR 100", "Buc^Jérôme", "42 75 63 5e 4a e9 72 f4 6d 65")]
    [InlineData("ISO_IR 101", "Łódź", "a3 f3 64 bc")]
    [InlineData("ISO_IR 126", "Διονυσιος", "c4 e9 ef ed f5 f3 e9 ef f2")]
    [InlineData("ISO_IR 144", "Люкceмбypг", "bb ee da 63 65 dc d1 79 70 d3")]
    [InlineData("ISO_IR 138", "שרון^דבורה", "f9 f8 e5 ef 5e e3 e1 e5 f8 e4")]
    [InlineData("ISO_IR 127", "قباني^لنزار", "e2 c8 c7 e6 ea 5e e4 e6 d2 c7 d1")]
    [InlineData("ISO_IR 148", "Çağrı", "c7 61 f0 72 fd")]
    [InlineData("ISO_IR 203", "€10", "a4 31 30")]
    [InlineData("ISO_IR 166", "ภาษาไทย", "c0 d2 c9 d2 e4 b7 c2")]
    [InlineData("ISO_IR 13", "ﾔﾏﾀﾞ^ﾀﾛｳ", "d4 cf c0 de 5e c0 db b3")]
    [InlineData("ISO_IR 192", "Wang^XiaoDong=王^小東=", "57 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d e7 8e 8b 5e e5 b0 8f e6 9d b1 3d")]
    [InlineData("GBK", "王^小东", "cd f5 5e d0 a1 b6 ab")]
    public void Character_sets_without_code_extensions_encode_the_sample_names(string term, string text, string hex) =>
        Assert.Equal(Hex(hex), Charset(term).Encode(text, DicomVR.PN));

    [Fact]
    public void Encoder_switches_G1_to_Greek_and_relies_on_the_reset_at_the_delimiter() =>
        Assert.Equal(Hex("42 75 63 5e 4a e9 72 f4 6d 65 3d 1b 2d 46 c4 e9 ef ed f5 f3 e9 ef f2"),
            Charset(@"ISO 2022 IR 100\ISO 2022 IR 126").Encode("Buc^Jérôme=Διονυσιος", DicomVR.PN));

    [Fact]
    public void Japanese_supplementary_kanji_encodes_with_the_JIS_X_0212_designation() =>
        Assert.Equal(Hex("1b 24 28 44 6d 4e 1b 28 42"), Charset(@"\ISO 2022 IR 87\ISO 2022 IR 159").Encode("齩", DicomVR.LO));

    [Fact]
    public void Japanese_text_mixing_all_Japanese_sets_round_trips()
    {
        var charset = Charset(@"ISO 2022 IR 13\ISO 2022 IR 87\ISO 2022 IR 159");
        const string text = "あaｱア齩 山田\\やまだ";

        Assert.Equal(text, charset.Decode(charset.Encode(text, DicomVR.LO), DicomVR.LO));
    }

    [Fact]
    public void Encoder_returns_to_the_initial_G0_set_before_a_value_separator() =>
        Assert.Equal(Hex("1b 24 42 3b 33 1b 28 42 5c 1b 24 42 45 44 1b 28 42"),
            Charset(@"\ISO 2022 IR 87").Encode("山\\田", DicomVR.LO));

    [Fact]
    public void Fullwidth_tilde_encodes_as_the_JIS_X_0208_wave_dash() =>
        Assert.Equal(Hex("1b 24 42 21 41 1b 28 42"), Charset(@"\ISO 2022 IR 87").Encode("\uFF5E", DicomVR.LO));

    [Fact]
    public void UTF_8_encodes_characters_outside_the_basic_multilingual_plane() =>
        Assert.Equal(Encoding.UTF8.GetBytes("𠀋^x"), DicomCharacterSet.Utf8.Encode("𠀋^x", DicomVR.PN));

    [Fact]
    public void GB18030_encodes_characters_outside_the_basic_multilingual_plane_reversibly()
    {
        var charset = Charset("GB18030");

        Assert.Equal("𠀋", charset.Decode(charset.Encode("𠀋", DicomVR.LO), DicomVR.LO));
    }

    [Fact]
    public void Default_set_cannot_encode_non_ASCII_text()
    {
        Assert.False(DicomCharacterSet.Default.TryEncode("Jérôme", DicomVR.PN, out var bytes));
        Assert.Empty(bytes);
    }

    [Fact]
    public void Encode_throws_ArgumentException_naming_the_character_and_the_character_set()
    {
        var ex = Assert.Throws<ArgumentException>(() => Charset("ISO_IR 100").Encode("Ivan^Иван", DicomVR.PN));

        Assert.Contains("U+0418", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ISO_IR 100", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_extensions_cannot_encode_characters_outside_the_declared_sets() =>
        Assert.False(Charset(@"\ISO 2022 IR 149").TryEncode("Ελένη", DicomVR.PN, out _));

    [Fact]
    public void Single_byte_set_without_code_extensions_does_not_switch_to_another_set() =>
        Assert.False(Charset("ISO_IR 100").CanEncode("Διονυσιος"));

    [Fact]
    public void CanEncode_is_true_for_text_in_the_declared_sets() =>
        Assert.True(Charset(@"ISO 2022 IR 100\ISO 2022 IR 126").CanEncode("Jérôme Διονυσιος"));

    [Fact]
    public void UTF_8_cannot_encode_a_lone_surrogate() =>
        Assert.False(DicomCharacterSet.Utf8.TryEncode("a\uD800b", DicomVR.LO, out _));

    [Fact]
    public void GBK_cannot_encode_characters_outside_its_repertoire() =>
        Assert.False(Charset("GBK").TryEncode("𠀋", DicomVR.LO, out _));

    [Fact]
    public void Values_of_VRs_that_are_not_character_set_dependent_accept_ASCII_only() =>
        Assert.Throws<ArgumentException>(() => DicomCharacterSet.Utf8.Encode("ÉTUDE", DicomVR.CS));

    [Fact]
    public void ASCII_text_encodes_unchanged_in_every_set() =>
        Assert.Equal(Encoding.ASCII.GetBytes("Doe^John"), Charset(@"\ISO 2022 IR 87").Encode("Doe^John", DicomVR.PN));
}
