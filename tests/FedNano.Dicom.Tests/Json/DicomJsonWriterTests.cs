using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace FedNano.Dicom.Tests.Json;

public class DicomJsonWriterTests
{
    private static DicomElement Raw(DicomTag tag, DicomVR vr, string ascii) => new(tag, vr, Encoding.Latin1.GetBytes(ascii));

    private static JsonElement Attribute(string json, string key) => JsonDocument.Parse(json).RootElement.GetProperty(key);

    private static string Compact(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(doc.RootElement, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>A dataset equivalent to PS3.18 F.4, extended with the cases F.2 describes.</summary>
    internal static DicomDataset ExampleDataset()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        ds.AddOrUpdate(Raw(DicomTags.ImageType, DicomVR.CS, @"ORIGINAL\\AXIAL "));
        ds.AddOrUpdate(DicomTags.StudyDate, "20130409");
        ds.AddOrUpdate(DicomTags.ModalitiesInStudy, "CT", "PET");
        ds.AddOrUpdate(DicomTags.ReferringPhysicianName, "^Bob^^Dr.");
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0009, 0x0010), DicomVR.LO, "Vendor A"u8.ToArray()));
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0009, 0x1002), DicomVR.UN, Convert.FromBase64String("z0x9c8v7")));
        ds.AddOrUpdate(DicomTags.PatientName, "Yamada^Tarou=山田^太郎=やまだ^たろう");
        ds.AddOrUpdate(DicomTags.PatientID, "12345");
        ds.AddOrUpdate(new DicomElement(DicomTags.PatientBirthDate, DicomVR.DA, ReadOnlyMemory<byte>.Empty));
        var item1 = new DicomDataset();
        item1.AddOrUpdate(DicomTags.PatientID, "54321");
        item1.AddOrUpdate(DicomTags.IssuerOfPatientID, "Hospital B");
        var item2 = new DicomDataset();
        ds.AddOrUpdate(DicomTags.OtherPatientIDsSequence, item1, item2);
        ds.AddOrUpdate(Raw(DicomTags.SliceThickness, DicomVR.DS, "2.50"));
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, "1.2.392.200036.9116.2.2.2.1762893313.1029997326.945873");
        ds.AddOrUpdate(Raw(DicomTags.NumberOfStudyRelatedSeries, DicomVR.IS, " 4"));
        ds.AddOrUpdate(Raw(DicomTags.NumberOfStudyRelatedInstances, DicomVR.IS, "942 "));
        ds.AddOrUpdate(DicomTags.FrameIncrementPointer, new DicomTag(0x0018, 0x1063), new DicomTag(0x0018, 0x1065));
        ds.AddOrUpdate(Raw(DicomTags.WindowCenter, DicomVR.DS, @"abc\40"));
        ds.AddOrUpdate(DicomTags.EncapsulatedDocument, DicomVR.OB, new byte[] { 1, 2, 3 });
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, new byte[16]);
        return ds;
    }

    private static readonly DicomJsonOptions PixelDataAsBulk = new()
    {
        BulkDataUriResolver = (path, item) => item.Tag == DicomTags.PixelData ? "http://host/bulk/" + path[^1].ToJsonKey() : null,
    };

    [Fact]
    public void Example_dataset_like_PS3_18_F_4_is_written_exactly()
    {
        var json = DicomJsonWriter.Serialize(ExampleDataset(), PixelDataAsBulk);

        const string expected = """
        {
          "00080005": {"vr": "CS", "Value": ["ISO_IR 192"]},
          "00080008": {"vr": "CS", "Value": ["ORIGINAL", null, "AXIAL"]},
          "00080020": {"vr": "DA", "Value": ["20130409"]},
          "00080061": {"vr": "CS", "Value": ["CT", "PET"]},
          "00080090": {"vr": "PN", "Value": [{"Alphabetic": "^Bob^^Dr."}]},
          "00090010": {"vr": "LO", "Value": ["Vendor A"]},
          "00091002": {"vr": "UN", "InlineBinary": "z0x9c8v7"},
          "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Yamada^Tarou", "Ideographic": "山田^太郎", "Phonetic": "やまだ^たろう"}]},
          "00100020": {"vr": "LO", "Value": ["12345"]},
          "00100030": {"vr": "DA"},
          "00101002": {"vr": "SQ", "Value": [
              {"00100020": {"vr": "LO", "Value": ["54321"]}, "00100021": {"vr": "LO", "Value": ["Hospital B"]}},
              {}
          ]},
          "00180050": {"vr": "DS", "Value": [2.50]},
          "0020000D": {"vr": "UI", "Value": ["1.2.392.200036.9116.2.2.2.1762893313.1029997326.945873"]},
          "00201206": {"vr": "IS", "Value": [4]},
          "00201208": {"vr": "IS", "Value": [942]},
          "00280009": {"vr": "AT", "Value": ["00181063", "00181065"]},
          "00281050": {"vr": "DS", "Value": ["abc", 40]},
          "00420011": {"vr": "OB", "InlineBinary": "AQID"},
          "7FE00010": {"vr": "OW", "BulkDataURI": "http://host/bulk/7FE00010"}
        }
        """;
        Assert.Equal(Compact(expected), json);
    }

    [Fact]
    public void Keys_are_eight_uppercase_hex_digits_in_ascending_tag_order()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OB, new byte[] { 0 });
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x00AB, 0xCDEF), DicomVR.LO, "x"u8.ToArray()));
        ds.AddOrUpdate(DicomTags.PatientID, "1");
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, "1.2");

        var keys = JsonDocument.Parse(DicomJsonWriter.Serialize(ds)).RootElement.EnumerateObject().Select(p => p.Name).ToArray();

        Assert.Equal(["00100020", "0020000D", "00ABCDEF", "7FE00010"], keys);
    }

    [Fact]
    public void Every_attribute_has_vr_and_at_most_one_value_member()
    {
        var json = DicomJsonWriter.Serialize(ExampleDataset(), PixelDataAsBulk);

        foreach (var attribute in JsonDocument.Parse(json).RootElement.EnumerateObject())
        {
            Assert.Equal(JsonValueKind.String, attribute.Value.GetProperty("vr").ValueKind);
            var members = attribute.Value.EnumerateObject().Select(m => m.Name).Where(n => n != "vr").ToArray();
            Assert.True(members.Length <= 1, $"{attribute.Name} has {string.Join(", ", members)}");
            Assert.All(members, m => Assert.Contains(m, new[] { "Value", "InlineBinary", "BulkDataURI" }));
        }
    }

    [Fact]
    public void Group_lengths_are_left_out_unless_asked_for()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomTag(0x0010, 0x0000), DicomVR.UL, 10u);
        ds.AddOrUpdate(DicomTags.PatientID, "1");

        Assert.DoesNotContain("00100000", DicomJsonWriter.Serialize(ds));
        Assert.Contains("\"00100000\":{\"vr\":\"UL\",\"Value\":[10]}", DicomJsonWriter.Serialize(ds, new DicomJsonOptions { IncludeGroupLengths = true }));
    }

    [Fact]
    public void Latin1_encoded_dataset_is_written_as_UTF8_JSON_text()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 100");
        ds.AddOrUpdate(new DicomElement(DicomTags.PatientName, DicomVR.PN, Encoding.Latin1.GetBytes("Müller^François ")));

        var utf8 = DicomJsonWriter.SerializeToUtf8Bytes(ds);

        var expected = Encoding.UTF8.GetBytes("\"Alphabetic\":\"Müller^François\"");
        Assert.True(utf8.AsSpan().IndexOf(expected) >= 0, Encoding.UTF8.GetString(utf8));
    }

    [Fact]
    public void Sequence_items_inherit_the_character_set_of_the_enclosing_dataset()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 100");
        var item = new DicomDataset();
        item.AddOrUpdate(new DicomElement(DicomTags.PatientName, DicomVR.PN, Encoding.Latin1.GetBytes("Ærø")));
        ds.AddOrUpdate(DicomTags.OtherPatientIDsSequence, item);

        var json = DicomJsonWriter.Serialize(ds);

        Assert.Contains("\"Alphabetic\":\"Ærø\"", json);
    }

    [Fact]
    public void Person_name_leaves_out_empty_component_groups()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        ds.AddOrUpdate(DicomTags.PatientName, "Wang^XiaoDong==");
        ds.AddOrUpdate(DicomTags.ReferringPhysicianName, "=王^小東");

        var json = DicomJsonWriter.Serialize(ds);

        Assert.Contains("\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Wang^XiaoDong\"}]}", json);
        Assert.Contains("\"00080090\":{\"vr\":\"PN\",\"Value\":[{\"Ideographic\":\"王^小東\"}]}", json);
    }

    [Fact]
    public void Empty_value_among_several_person_names_is_null()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(Raw(DicomTags.PatientName, DicomVR.PN, @"A^B\\C^D"));

        var values = Attribute(DicomJsonWriter.Serialize(ds), "00100010").GetProperty("Value");

        Assert.Equal(JsonValueKind.Null, values[1].ValueKind);
        Assert.Equal("C^D", values[2].GetProperty("Alphabetic").GetString());
    }

    [Fact]
    public void Element_with_only_padding_is_written_as_an_empty_value()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(Raw(DicomTags.PatientID, DicomVR.LO, "  "));

        Assert.Equal("{\"00100020\":{\"vr\":\"LO\"}}", DicomJsonWriter.Serialize(ds));
    }

    [Fact]
    public void Sequence_without_items_is_written_with_only_vr()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomSequence(DicomTags.ReferencedSOPSequence));

        Assert.Equal("{\"00081199\":{\"vr\":\"SQ\"}}", DicomJsonWriter.Serialize(ds));
    }

    [Theory]
    [InlineData("1.50", "1.50")]
    [InlineData("-0.25e-3", "-0.25e-3")]
    [InlineData("+1.5", "1.5")]
    [InlineData(".5", "0.5")]
    [InlineData("1.", "1")]
    [InlineData(" 7 ", "7")]
    public void Valid_decimal_string_is_a_JSON_number(string ds, string expected)
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(Raw(DicomTags.SliceThickness, DicomVR.DS, ds));

        var value = Attribute(DicomJsonWriter.Serialize(dataset), "00180050").GetProperty("Value")[0];

        Assert.Equal(JsonValueKind.Number, value.ValueKind);
        Assert.Equal(expected, value.GetRawText());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-inf")]
    [InlineData("1e999")]
    [InlineData("1,5")]
    public void Invalid_decimal_string_stays_a_JSON_string(string ds)
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(Raw(DicomTags.SliceThickness, DicomVR.DS, ds));

        var value = Attribute(DicomJsonWriter.Serialize(dataset), "00180050").GetProperty("Value")[0];

        Assert.Equal(JsonValueKind.String, value.ValueKind);
        Assert.Equal(ds, value.GetString());
    }

    [Theory]
    [InlineData("42", "42")]
    [InlineData("-7", "-7")]
    [InlineData("+5", "5")]
    [InlineData("007", "7")]
    public void Valid_integer_string_is_a_JSON_number(string text, string expected)
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(Raw(DicomTags.NumberOfStudyRelatedSeries, DicomVR.IS, text));

        var value = Attribute(DicomJsonWriter.Serialize(dataset), "00201206").GetProperty("Value")[0];

        Assert.Equal(JsonValueKind.Number, value.ValueKind);
        Assert.Equal(expected, value.GetRawText());
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("twelve")]
    public void Invalid_integer_string_stays_a_JSON_string(string text)
    {
        var dataset = new DicomDataset();
        dataset.AddOrUpdate(Raw(DicomTags.NumberOfStudyRelatedSeries, DicomVR.IS, text));

        var value = Attribute(DicomJsonWriter.Serialize(dataset), "00201206").GetProperty("Value")[0];

        Assert.Equal(text, value.GetString());
    }

    [Fact]
    public void Non_finite_floats_are_written_as_the_strings_NaN_Infinity_and_minus_Infinity()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SelectorFDValue, DicomVR.FD, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1.5);
        ds.AddOrUpdate(DicomTags.SelectorFLValue, DicomVR.FL, float.NaN, float.NegativeInfinity);

        var json = DicomJsonWriter.Serialize(ds);

        Assert.Contains("\"Value\":[\"NaN\",\"Infinity\",\"-Infinity\",1.5]", json);
        Assert.Contains("\"Value\":[\"NaN\",\"-Infinity\"]", json);
    }

    [Fact]
    public void Float_values_are_written_with_shortest_round_trip_digits()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SelectorFLValue, DicomVR.FL, 0.1f, -2.5f);
        ds.AddOrUpdate(DicomTags.SelectorFDValue, DicomVR.FD, 0.1, 1e-300);

        var json = DicomJsonWriter.Serialize(ds);

        Assert.Contains("\"vr\":\"FL\",\"Value\":[0.1,-2.5]", json);
        Assert.Contains("\"vr\":\"FD\",\"Value\":[0.1,1E-300]", json);
    }

    [Fact]
    public void Very_long_integers_beyond_2_pow_53_are_written_as_strings()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SelectorSVValue, DicomVR.SV, (1L << 53) - 1, -(1L << 53) + 1, 1L << 53, long.MinValue);
        ds.AddOrUpdate(DicomTags.SelectorUVValue, DicomVR.UV, 5ul, ulong.MaxValue);

        var json = DicomJsonWriter.Serialize(ds);

        Assert.Contains("\"vr\":\"SV\",\"Value\":[9007199254740991,-9007199254740991,\"9007199254740992\",\"-9223372036854775808\"]", json);
        Assert.Contains("\"vr\":\"UV\",\"Value\":[5,\"18446744073709551615\"]", json);
    }

    [Fact]
    public void Binary_integers_are_JSON_numbers()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SelectorUSValue, DicomVR.US, (ushort)0, ushort.MaxValue);
        ds.AddOrUpdate(DicomTags.SelectorSSValue, DicomVR.SS, short.MinValue);
        ds.AddOrUpdate(DicomTags.SelectorULValue, DicomVR.UL, uint.MaxValue);
        ds.AddOrUpdate(DicomTags.SelectorSLValue, DicomVR.SL, int.MinValue);

        var json = DicomJsonWriter.Serialize(ds);

        Assert.Contains("\"vr\":\"US\",\"Value\":[0,65535]", json);
        Assert.Contains("\"vr\":\"SS\",\"Value\":[-32768]", json);
        Assert.Contains("\"vr\":\"UL\",\"Value\":[4294967295]", json);
        Assert.Contains("\"vr\":\"SL\",\"Value\":[-2147483648]", json);
    }

    [Fact]
    public void Resolver_receives_the_tag_path_from_the_root_and_the_item()
    {
        var inner = new DicomDataset();
        inner.AddOrUpdate(DicomTags.SelectorOBValue, DicomVR.OB, new byte[] { 9, 9 });
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.ReferencedSOPSequence, inner);
        DicomTag[]? seen = null;
        DicomItem? seenItem = null;

        var json = DicomJsonWriter.Serialize(ds, new DicomJsonOptions
        {
            BulkDataUriResolver = (path, item) => { seen = path; seenItem = item; return "urn:x"; },
        });

        Assert.Equal([DicomTags.ReferencedSOPSequence, DicomTags.SelectorOBValue], seen!);
        Assert.Same(inner.GetItem(DicomTags.SelectorOBValue), seenItem);
        Assert.Contains("\"BulkDataURI\":\"urn:x\"", json);
    }

    [Fact]
    public void Binary_values_up_to_the_threshold_stay_inline_even_with_a_resolver()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SelectorOBValue, DicomVR.OB, new byte[] { 1, 2, 3, 4 });
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OB, new byte[] { 1, 2, 3, 4, 5 });
        var options = new DicomJsonOptions { BulkDataUriResolver = (_, i) => "bulk/" + i.Tag.ToJsonKey(), InlineBinaryThreshold = 4 };

        var json = DicomJsonWriter.Serialize(ds, options);

        Assert.Equal("AQIDBA==", Attribute(json, DicomTags.SelectorOBValue.ToJsonKey()).GetProperty("InlineBinary").GetString());
        Assert.Equal("bulk/7FE00010", Attribute(json, "7FE00010").GetProperty("BulkDataURI").GetString());
    }

    [Fact]
    public void Resolver_returning_null_keeps_the_value_inline()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SelectorOBValue, DicomVR.OB, new byte[] { 255 });

        var json = DicomJsonWriter.Serialize(ds, new DicomJsonOptions { BulkDataUriResolver = (_, _) => null });

        Assert.Equal("/w==", Attribute(json, DicomTags.SelectorOBValue.ToJsonKey()).GetProperty("InlineBinary").GetString());
    }

    [Fact]
    public void With_InlineBinary_off_binary_values_without_a_URI_are_left_out()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, new byte[4]);

        Assert.Equal("{\"7FE00010\":{\"vr\":\"OW\"}}", DicomJsonWriter.Serialize(ds, new DicomJsonOptions { InlineBinary = false }));
    }

    [Fact]
    public void Binary_words_are_written_as_little_endian_base64()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SelectorOWValue, DicomVR.OW, (ushort)0x0102, (ushort)0xA0B0);

        var inline = Attribute(DicomJsonWriter.Serialize(ds), DicomTags.SelectorOWValue.ToJsonKey()).GetProperty("InlineBinary").GetString();

        Assert.Equal(new byte[] { 0x02, 0x01, 0xB0, 0xA0 }, Convert.FromBase64String(inline!));
    }

    [Fact]
    public void Large_file_backed_value_is_streamed_into_InlineBinary()
    {
        var path = Path.GetTempFileName();
        try
        {
            var bytes = new byte[200_001];
            new Random(7).NextBytes(bytes);
            File.WriteAllBytes(path, [0xEE, .. bytes]);
            var ds = new DicomDataset();
            ds.AddOrUpdate(new DicomElement(DicomTags.PixelData, DicomVR.OB, new FileByteSource(path, 1, bytes.Length)));

            var inline = Attribute(DicomJsonWriter.Serialize(ds), "7FE00010").GetProperty("InlineBinary").GetString();

            Assert.Equal(Convert.ToBase64String(bytes), inline);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Encapsulated_pixel_data_is_inline_as_offset_table_and_fragment_items()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, [0u],
            [ByteSource.FromBytes(new byte[] { 1, 2, 3 })]));

        var inline = Attribute(DicomJsonWriter.Serialize(ds), "7FE00010").GetProperty("InlineBinary").GetString();

        byte[] expected =
        [
            0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0, 0, 0, 0, 0, // offset table item with one offset
            0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0, 1, 2, 3, 0, // fragment, padded to even length
        ];
        Assert.Equal(expected, Convert.FromBase64String(inline!));
    }

    [Fact]
    public void Encapsulated_pixel_data_is_offered_to_the_resolver()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, null, [ByteSource.FromBytes(new byte[] { 1, 2 })]));

        var json = DicomJsonWriter.Serialize(ds, PixelDataAsBulk);

        Assert.Equal("{\"7FE00010\":{\"vr\":\"OB\",\"BulkDataURI\":\"http://host/bulk/7FE00010\"}}", json);
    }

    [Fact]
    public void Array_of_datasets_is_a_JSON_array_of_objects()
    {
        var a = new DicomDataset();
        a.AddOrUpdate(DicomTags.PatientID, "A");
        var b = new DicomDataset();
        b.AddOrUpdate(DicomTags.PatientID, "B");

        var json = DicomJsonWriter.Serialize([a, b]);

        Assert.Equal("[{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"A\"]}},{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"B\"]}}]", json);
    }

    [Fact]
    public void Empty_array_of_datasets_is_an_empty_JSON_array() =>
        Assert.Equal("[]", DicomJsonWriter.Serialize(Array.Empty<DicomDataset>()));

    [Fact]
    public void Indented_output_is_valid_JSON_with_the_same_content()
    {
        var ds = ExampleDataset();

        var indented = DicomJsonWriter.Serialize(ds, new DicomJsonOptions { WriteIndented = true });

        Assert.Contains("\n", indented);
        Assert.Equal(DicomJsonWriter.Serialize(ds), Compact(indented));
    }

    [Fact]
    public void Text_values_lose_padding_but_keep_inner_and_leading_spaces_of_text_VRs()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(Raw(DicomTags.SelectorLTValue, DicomVR.LT, "  indented\r\nline two  "));
        ds.AddOrUpdate(new DicomElement(DicomTags.StudyInstanceUID, DicomVR.UI, "1.2.3\0"u8.ToArray()));

        var json = DicomJsonWriter.Serialize(ds);

        Assert.Equal("  indented\r\nline two", Attribute(json, DicomTags.SelectorLTValue.ToJsonKey()).GetProperty("Value")[0].GetString());
        Assert.Equal("1.2.3", Attribute(json, "0020000D").GetProperty("Value")[0].GetString());
    }

    [Fact]
    public void Text_with_backslash_is_one_value_for_LT_ST_UT_UR()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(Raw(DicomTags.SelectorSTValue, DicomVR.ST, @"C:\dir\file"));

        var values = Attribute(DicomJsonWriter.Serialize(ds), DicomTags.SelectorSTValue.ToJsonKey()).GetProperty("Value");

        Assert.Equal(1, values.GetArrayLength());
        Assert.Equal(@"C:\dir\file", values[0].GetString());
    }

    [Fact]
    public void Write_to_a_caller_writer_produces_the_same_object()
    {
        var ds = ExampleDataset();
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, DicomJsonWriter.CreateWriterOptions()))
            DicomJsonWriter.Write(writer, ds);

        Assert.Equal(DicomJsonWriter.Serialize(ds), Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Odd_trailing_byte_of_a_numeric_value_is_ignored()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomElement(DicomTags.SelectorUSValue, DicomVR.US, new byte[] { 5, 0, 7 }));

        Assert.Contains("\"Value\":[5]", DicomJsonWriter.Serialize(ds));
    }

    [Fact]
    public void Stored_little_endian_float_bytes_are_read_as_values()
    {
        var bytes = MemoryMarshal.AsBytes(new float[] { 3.25f }.AsSpan()).ToArray();
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomElement(DicomTags.SelectorFLValue, DicomVR.FL, bytes));

        Assert.Contains("\"Value\":[3.25]", DicomJsonWriter.Serialize(ds));
    }
}
