using System.Text;
using System.Text.Json;

namespace FedNano.Dicom.Tests.Json;

public class DicomJsonReaderTests
{
    /// <summary>The example of PS3.18 F.4 (one study of a QIDO-RS response), with the private UN value of the standard.</summary>
    private const string F4Example = """
    {
      "00080005": { "vr": "CS", "Value": [ "ISO_IR 192" ] },
      "00080020": { "vr": "DA", "Value": [ "20130409" ] },
      "00080030": { "vr": "TM", "Value": [ "131600.0000" ] },
      "00080050": { "vr": "SH", "Value": [ "11235813" ] },
      "00080056": { "vr": "CS", "Value": [ "ONLINE" ] },
      "00080061": { "vr": "CS", "Value": [ "CT", "PET" ] },
      "00080090": { "vr": "PN", "Value": [ { "Alphabetic": "^Bob^^Dr." } ] },
      "00081190": { "vr": "UR", "Value": [ "http://wado.nema.org/studies/1.2.392.200036.9116.2.2.2.1762893313.1029997326.945873" ] },
      "00090010": { "vr": "LO", "Value": [ "Vendor A" ] },
      "00091002": { "vr": "UN", "InlineBinary": "z0x9c8v7" },
      "00100010": { "vr": "PN", "Value": [ { "Alphabetic": "Wang^XiaoDong", "Ideographic": "王^小東" } ] },
      "00100020": { "vr": "LO", "Value": [ "12345" ] },
      "00100021": { "vr": "LO", "Value": [ "Hospital A" ] },
      "00100030": { "vr": "DA", "Value": [ "19670701" ] },
      "00100040": { "vr": "CS", "Value": [ "M" ] },
      "00101002": {
        "vr": "SQ",
        "Value": [
          {
            "00100020": { "vr": "LO", "Value": [ "54321" ] },
            "00100021": { "vr": "LO", "Value": [ "Hospital B" ] }
          },
          {
            "00100020": { "vr": "LO", "Value": [ "24680" ] },
            "00100021": { "vr": "LO", "Value": [ "Hospital C" ] }
          }
        ]
      },
      "0020000D": { "vr": "UI", "Value": [ "1.2.392.200036.9116.2.2.2.1762893313.1029997326.945873" ] },
      "00201206": { "vr": "IS", "Value": [ 4 ] },
      "00201208": { "vr": "IS", "Value": [ 942 ] }
    }
    """;

    private static DicomDataException Error(string json) =>
        Assert.Throws<DicomDataException>(() => DicomJsonReader.Deserialize(json));

    [Fact]
    public void PS3_18_F_4_example_reads_into_the_expected_values()
    {
        var ds = DicomJsonReader.Deserialize(F4Example);

        Assert.Equal(["CT", "PET"], ds.GetStrings(DicomTags.ModalitiesInStudy));
        Assert.Equal("Wang^XiaoDong=王^小東", ds.GetString(DicomTags.PatientName));
        Assert.Equal(DicomVR.UN, ds.GetItem(new DicomTag(0x0009, 0x1002))!.VR);
        Assert.Equal(Convert.FromBase64String("z0x9c8v7"), ((DicomElement)ds.GetItem(new DicomTag(0x0009, 0x1002))!).Value.GetMemory().ToArray());
        Assert.Equal("Vendor A", ds.GetPrivateCreator(new DicomTag(0x0009, 0x1002)));
        Assert.Equal(["54321", "24680"], ds.GetSequenceItems(DicomTags.OtherPatientIDsSequence).Select(i => i.GetString(DicomTags.PatientID)));
        Assert.Equal(4, ds.GetValue<int>(DicomTags.NumberOfStudyRelatedSeries));
        Assert.Equal(942, ds.GetValue<int>(DicomTags.NumberOfStudyRelatedInstances));
        Assert.Equal("ISO_IR 192", ds.GetString(DicomTags.SpecificCharacterSet));
    }

    [Fact]
    public void PS3_18_F_4_example_written_again_has_the_same_content()
    {
        var ds = DicomJsonReader.Deserialize(F4Example);

        var again = DicomJsonWriter.Serialize(ds);

        using var expected = JsonDocument.Parse(F4Example);
        Assert.Equal(JsonSerializer.Serialize(expected.RootElement, new JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }), again);
    }

    [Fact]
    public void Null_in_a_multi_valued_string_is_an_empty_value()
    {
        var ds = DicomJsonReader.Deserialize("""{"00080008":{"vr":"CS","Value":["ORIGINAL",null,"AXIAL"]}}""");

        Assert.Equal(["ORIGINAL", "", "AXIAL"], ds.GetStrings(DicomTags.ImageType));
    }

    [Fact]
    public void Attribute_with_only_vr_is_an_empty_element()
    {
        var ds = DicomJsonReader.Deserialize("""{"00100030":{"vr":"DA"},"00081199":{"vr":"SQ"}}""");

        Assert.Equal(0, ((DicomElement)ds.GetItem(DicomTags.PatientBirthDate)!).Length);
        Assert.Empty(ds.GetSequenceItems(DicomTags.ReferencedSOPSequence));
        Assert.IsType<DicomSequence>(ds.GetItem(DicomTags.ReferencedSOPSequence));
    }

    [Fact]
    public void Empty_sequence_items_are_kept()
    {
        var ds = DicomJsonReader.Deserialize("""{"00081199":{"vr":"SQ","Value":[{},{}]}}""");

        Assert.Equal(2, ds.GetSequenceItems(DicomTags.ReferencedSOPSequence).Count);
    }

    [Fact]
    public void Sequence_items_know_their_parent_dataset()
    {
        var ds = DicomJsonReader.Deserialize("""{"00081199":{"vr":"SQ","Value":[{}]}}""");

        Assert.Same(ds, ds.GetSequenceItems(DicomTags.ReferencedSOPSequence)[0].Parent);
    }

    [Fact]
    public void Person_name_groups_are_joined_with_equals_signs()
    {
        var ds = DicomJsonReader.Deserialize(
            """{"00100010":{"vr":"PN","Value":[{"Alphabetic":"Yamada^Tarou","Ideographic":"山田^太郎","Phonetic":"やまだ^たろう"},{"Phonetic":"x"},null]}}""");

        Assert.Equal(["Yamada^Tarou=山田^太郎=やまだ^たろう", "==x", ""], ds.GetStrings(DicomTags.PatientName));
    }

    [Fact]
    public void Attribute_tags_are_read_from_hex_strings()
    {
        var ds = DicomJsonReader.Deserialize("""{"00280009":{"vr":"AT","Value":["00181063","7fe00010"]}}""");

        Assert.Equal([new DicomTag(0x0018, 0x1063), DicomTags.PixelData], ds.GetTags(DicomTags.FrameIncrementPointer));
    }

    [Fact]
    public void Decimal_string_number_keeps_the_original_digits()
    {
        var ds = DicomJsonReader.Deserialize("""{"00180050":{"vr":"DS","Value":[2.50, -1E-3, 0]}}""");

        Assert.Equal(["2.50", "-1E-3", "0"], ds.GetStrings(DicomTags.SliceThickness));
    }

    [Fact]
    public void Decimal_string_number_too_long_for_DS_is_reformatted_to_16_characters()
    {
        var ds = DicomJsonReader.Deserialize("""{"00180050":{"vr":"DS","Value":[0.12345678901234567890]}}""");

        var value = ds.GetSingleString(DicomTags.SliceThickness);
        Assert.True(value.Length <= 16, value);
        Assert.Equal(0.12345678901234568, double.Parse(value, System.Globalization.CultureInfo.InvariantCulture), 1e-13);
    }

    [Fact]
    public void Decimal_and_integer_strings_given_as_JSON_strings_are_kept_as_given()
    {
        var ds = DicomJsonReader.Deserialize("""{"00180050":{"vr":"DS","Value":["abc","1.0"]},"00201206":{"vr":"IS","Value":["x7"]}}""");

        Assert.Equal(["abc", "1.0"], ds.GetStrings(DicomTags.SliceThickness));
        Assert.Equal("x7", ds.GetString(DicomTags.NumberOfStudyRelatedSeries));
    }

    [Fact]
    public void Integer_string_written_as_a_whole_decimal_number_is_stored_as_an_integer()
    {
        var ds = DicomJsonReader.Deserialize("""{"00201206":{"vr":"IS","Value":[5.0, 1e2, -3]}}""");

        Assert.Equal(["5", "100", "-3"], ds.GetStrings(DicomTags.NumberOfStudyRelatedSeries));
    }

    [Fact]
    public void Float_strings_NaN_and_Infinity_are_read_as_non_finite_values()
    {
        var ds = DicomJsonReader.Deserialize(
            """{"00720074":{"vr":"FD","Value":["NaN","Infinity","-Infinity",1.5]},"00720076":{"vr":"FL","Value":["-Infinity", 0.1]}}""");

        var doubles = ds.GetValues<double>(DicomTags.SelectorFDValue);
        Assert.True(double.IsNaN(doubles[0]));
        Assert.Equal([double.PositiveInfinity, double.NegativeInfinity, 1.5], doubles[1..]);
        Assert.Equal([float.NegativeInfinity, 0.1f], ds.GetValues<float>(DicomTags.SelectorFLValue));
    }

    [Fact]
    public void Very_long_integers_are_read_from_numbers_and_strings()
    {
        var ds = DicomJsonReader.Deserialize(
            """{"00720082":{"vr":"SV","Value":[-5,"-9223372036854775808"]},"00720083":{"vr":"UV","Value":[9007199254740991,"18446744073709551615"]}}""");

        Assert.Equal([-5L, long.MinValue], ds.GetValues<long>(DicomTags.SelectorSVValue));
        Assert.Equal([9007199254740991ul, ulong.MaxValue], ds.GetValues<ulong>(DicomTags.SelectorUVValue));
    }

    [Fact]
    public void Binary_integers_are_stored_little_endian_in_their_own_width()
    {
        var ds = DicomJsonReader.Deserialize("""{"00280010":{"vr":"US","Value":[512, 258]}}""");

        Assert.Equal(new byte[] { 0x00, 0x02, 0x02, 0x01 }, ((DicomElement)ds.GetItem(DicomTags.Rows)!).Value.GetMemory().ToArray());
    }

    [Fact]
    public void InlineBinary_is_decoded_from_base64()
    {
        var ds = DicomJsonReader.Deserialize("""{"00420011":{"vr":"OB","InlineBinary":"AQID"}}""");

        Assert.Equal(new byte[] { 1, 2, 3 }, ((DicomElement)ds.GetItem(DicomTags.EncapsulatedDocument)!).Value.GetMemory().ToArray());
    }

    [Fact]
    public void InlineBinary_pixel_data_holding_offset_table_and_fragment_items_is_encapsulated_pixel_data()
    {
        byte[] bytes =
        [
            0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0,
            0xFE, 0xFF, 0x00, 0xE0, 2, 0, 0, 0, 7, 8,
            0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0, 1, 2, 3, 4,
            0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0,
        ];
        var json = $$$"""{"7FE00010":{"vr":"OB","InlineBinary":"{{{Convert.ToBase64String(bytes)}}}"}}""";

        var pixels = Assert.IsType<DicomFragmentSequence>(DicomJsonReader.Deserialize(json).GetItem(DicomTags.PixelData));

        Assert.Empty(pixels.OffsetTable);
        Assert.Equal([new byte[] { 7, 8 }, new byte[] { 1, 2, 3, 4 }], pixels.Fragments.Select(f => f.GetMemory().ToArray()));
    }

    [Fact]
    public void InlineBinary_native_pixel_data_stays_an_element()
    {
        var ds = DicomJsonReader.Deserialize("""{"7FE00010":{"vr":"OB","InlineBinary":"/v8A4AAAAAA="}}""");

        Assert.IsType<DicomElement>(ds.GetItem(DicomTags.PixelData)); // FE FF 00 E0 00 00 00 00: an offset table but no fragment
    }

    [Fact]
    public void BulkDataURI_without_a_loader_keeps_a_reference_that_refuses_to_be_read()
    {
        var ds = DicomJsonReader.Deserialize("""{"7FE00010":{"vr":"OW","BulkDataURI":"http://host/bulk/1"}}""");

        var element = (DicomElement)ds.GetItem(DicomTags.PixelData)!;
        var reference = Assert.IsType<BulkDataUriByteSource>(element.Value);
        Assert.Equal("http://host/bulk/1", reference.Uri);
        var ex = Assert.Throws<InvalidOperationException>(() => element.Value.GetMemory());
        Assert.Contains("http://host/bulk/1", ex.Message);
    }

    [Fact]
    public void BulkDataURI_reference_is_written_back_unchanged()
    {
        const string json = """{"7FE00010":{"vr":"OW","BulkDataURI":"http://host/bulk/1"}}""";

        Assert.Equal(json, DicomJsonWriter.Serialize(DicomJsonReader.Deserialize(json)));
    }

    [Fact]
    public void BulkDataURI_reference_cannot_be_written_as_Part_10_silently()
    {
        var ds = DicomJsonReader.Deserialize("""{"7FE00010":{"vr":"OW","BulkDataURI":"http://host/bulk/1"}}""");

        using var stream = new MemoryStream();
        Assert.Throws<InvalidOperationException>(() => new DicomWriter(stream, explicitVR: true).WriteDataset(ds));
    }

    [Fact]
    public void BulkDataURI_with_a_loader_holds_the_loaded_bytes()
    {
        var asked = new List<string>();

        var ds = DicomJsonReader.Deserialize("""{"7FE00010":{"vr":"OW","BulkDataURI":"bulk/7"}}""",
            uri => { asked.Add(uri); return ByteSource.FromBytes(new byte[] { 1, 0 }); });

        Assert.Equal(["bulk/7"], asked);
        Assert.Equal([1], ds.GetValues<ushort>(DicomTags.PixelData));
    }

    [Fact]
    public void Non_ASCII_text_sets_specific_character_set_to_ISO_IR_192_replacing_the_declared_one()
    {
        var ds = DicomJsonReader.Deserialize("""
            {"00080005":{"vr":"CS","Value":["ISO_IR 100"]},"00100010":{"vr":"PN","Value":[{"Alphabetic":"Müller^Zoë"}]}}
            """);

        Assert.Equal("ISO_IR 192", ds.GetString(DicomTags.SpecificCharacterSet));
        Assert.Equal("Müller^Zoë", ds.GetString(DicomTags.PatientName));
        Assert.Equal(Encoding.UTF8.GetBytes("Müller^Zoë"), ((DicomElement)ds.GetItem(DicomTags.PatientName)!).Value.GetMemory().ToArray());
    }

    [Fact]
    public void Non_ASCII_text_in_a_sequence_item_declares_UTF8_at_the_root_and_in_items_with_their_own_character_set()
    {
        var ds = DicomJsonReader.Deserialize("""
            {"00081199":{"vr":"SQ","Value":[{"00080005":{"vr":"CS","Value":["ISO 2022 IR 87"]},"00100010":{"vr":"PN","Value":[{"Alphabetic":"Łukasz"}]}}]}}
            """);

        var item = ds.GetSequenceItems(DicomTags.ReferencedSOPSequence)[0];
        Assert.Equal("ISO_IR 192", ds.GetString(DicomTags.SpecificCharacterSet));
        Assert.Equal("ISO_IR 192", item.GetString(DicomTags.SpecificCharacterSet));
        Assert.Equal("Łukasz", item.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void ASCII_only_text_keeps_the_declared_character_set()
    {
        var ds = DicomJsonReader.Deserialize("""{"00080005":{"vr":"CS","Value":["ISO_IR 100"]},"00100010":{"vr":"PN","Value":[{"Alphabetic":"Smith"}]}}""");

        Assert.Equal("ISO_IR 100", ds.GetString(DicomTags.SpecificCharacterSet));
    }

    [Fact]
    public void ASCII_only_text_adds_no_character_set()
    {
        var ds = DicomJsonReader.Deserialize("""{"00100010":{"vr":"PN","Value":[{"Alphabetic":"Smith"}]}}""");

        Assert.False(ds.Contains(DicomTags.SpecificCharacterSet));
    }

    [Fact]
    public void Missing_vr_of_a_public_tag_is_taken_from_the_dictionary()
    {
        var ds = DicomJsonReader.Deserialize("""{"00100020":{"Value":["X"]}}""");

        Assert.Equal(DicomVR.LO, ds.GetItem(DicomTags.PatientID)!.VR);
    }

    [Fact]
    public void Keys_out_of_order_are_read_into_tag_order()
    {
        var ds = DicomJsonReader.Deserialize("""{"0020000D":{"vr":"UI","Value":["1.2"]},"00100020":{"vr":"LO","Value":["P"]}}""");

        Assert.Equal([DicomTags.PatientID, DicomTags.StudyInstanceUID], ds.Select(i => i.Tag));
    }

    [Fact]
    public void Unknown_attribute_members_are_ignored()
    {
        var ds = DicomJsonReader.Deserialize("""{"00100020":{"vr":"LO","Value":["P"],"comment":{"any":[1]}}}""");

        Assert.Equal("P", ds.GetString(DicomTags.PatientID));
    }

    [Fact]
    public void Lower_case_hex_keys_are_accepted()
    {
        var ds = DicomJsonReader.Deserialize("""{"0020000d":{"vr":"UI","Value":["1.2"]}}""");

        Assert.Equal("1.2", ds.GetString(DicomTags.StudyInstanceUID));
    }

    [Fact]
    public void Array_of_datasets_reads_each_object()
    {
        var list = DicomJsonReader.DeserializeArray("""[{"00100020":{"vr":"LO","Value":["A"]}},{}]""");

        Assert.Equal(2, list.Count);
        Assert.Equal("A", list[0].GetString(DicomTags.PatientID));
        Assert.Equal(0, list[1].Count);
    }

    [Fact]
    public void Read_from_a_Utf8JsonReader_consumes_one_object()
    {
        var bytes = Encoding.UTF8.GetBytes("""[{"00100020":{"vr":"LO","Value":["A"]}}]""");
        var reader = new Utf8JsonReader(bytes);
        reader.Read(); // [
        reader.Read(); // {

        var ds = DicomJsonReader.Read(ref reader);

        Assert.Equal("A", ds.GetString(DicomTags.PatientID));
        Assert.True(reader.Read());
        Assert.Equal(JsonTokenType.EndArray, reader.TokenType);
    }

    [Fact]
    public void Deserialize_from_a_stream_reads_UTF8()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("""{"00100010":{"vr":"PN","Value":[{"Alphabetic":"Ébé"}]}}"""));

        Assert.Equal("Ébé", DicomJsonReader.Deserialize(stream).GetString(DicomTags.PatientName));
    }

    // ------------------------------------------------------------------ errors

    [Fact]
    public void Malformed_JSON_names_the_path_and_line()
    {
        var ex = Error("{\"00100020\": {\"vr\": \"LO\", \"Value\": [\"A\",]}}");

        Assert.Contains("Malformed DICOM JSON at $.00100020.Value[0]", ex.Message);
        Assert.Contains("line 1", ex.Message);
    }

    [Fact]
    public void Empty_input_is_malformed_JSON() =>
        Assert.Contains("Malformed DICOM JSON", Error("").Message);

    [Fact]
    public void Key_that_is_not_eight_hex_digits_is_rejected_with_its_path()
    {
        Assert.Contains("$.0010001G", Error("""{"0010001G":{"vr":"LO"}}""").Message);
        Assert.Contains("'PatientID' is not an attribute tag", Error("""{"PatientID":{"vr":"LO"}}""").Message);
        Assert.Contains("$.(0010,0020)", Error("""{"(0010,0020)":{"vr":"LO"}}""").Message);
    }

    [Fact]
    public void Unknown_VR_is_rejected_with_its_path()
    {
        var ex = Error("""{"00100020":{"vr":"XX","Value":["A"]}}""");

        Assert.Contains("$.00100020.vr", ex.Message);
        Assert.Contains("unknown VR 'XX'", ex.Message);
    }

    [Fact]
    public void Missing_vr_of_a_private_tag_is_rejected() =>
        Assert.Contains("\"vr\" is missing", Error("""{"00091001":{"Value":["A"]}}""").Message);

    [Fact]
    public void Value_that_is_not_an_array_is_rejected() =>
        Assert.Contains("$.00100020.Value: expected an array but found a string", Error("""{"00100020":{"vr":"LO","Value":"A"}}""").Message);

    [Fact]
    public void Number_where_a_string_belongs_is_rejected_with_the_value_index() =>
        Assert.Contains("$.00100020.Value[1]: expected a string or null for VR LO but found a number",
            Error("""{"00100020":{"vr":"LO","Value":["A",5]}}""").Message);

    [Fact]
    public void Text_where_a_number_belongs_is_rejected_with_the_value_index() =>
        Assert.Contains("$.00280010.Value[0]", Error("""{"00280010":{"vr":"US","Value":["abc"]}}""").Message);

    [Fact]
    public void Number_out_of_range_for_its_VR_is_rejected() =>
        Assert.Contains("$.00280010.Value[0]: 70000 is out of range for VR US",
            Error("""{"00280010":{"vr":"US","Value":[70000]}}""").Message);

    [Fact]
    public void Fraction_for_an_integer_VR_is_rejected() =>
        Assert.Contains("$.00280010.Value[0]", Error("""{"00280010":{"vr":"US","Value":[1.5]}}""").Message);

    [Fact]
    public void Null_among_binary_numbers_is_rejected() =>
        Assert.Contains("$.00280010.Value[1]", Error("""{"00280010":{"vr":"US","Value":[1,null]}}""").Message);

    [Fact]
    public void Malformed_attribute_tag_value_is_rejected() =>
        Assert.Contains("$.00280009.Value[0]: expected a tag as 8 hexadecimal digits",
            Error("""{"00280009":{"vr":"AT","Value":["0018106"]}}""").Message);

    [Fact]
    public void Person_name_that_is_a_number_is_rejected() =>
        Assert.Contains("$.00100010.Value[0]", Error("""{"00100010":{"vr":"PN","Value":[1]}}""").Message);

    [Fact]
    public void Two_value_members_in_one_attribute_are_rejected() =>
        Assert.Contains("only one of", Error("""{"00420011":{"vr":"OB","InlineBinary":"AQID","BulkDataURI":"x"}}""").Message);

    [Fact]
    public void Invalid_base64_is_rejected_with_its_path() =>
        Assert.Contains("$.00420011.InlineBinary: not valid base64", Error("""{"00420011":{"vr":"OB","InlineBinary":"@@@"}}""").Message);

    [Fact]
    public void Sequence_item_that_is_not_an_object_is_rejected_with_its_index() =>
        Assert.Contains("$.00081199.Value[1]: expected an object",
            Error("""{"00081199":{"vr":"SQ","Value":[{},"x"]}}""").Message);

    [Fact]
    public void Error_inside_a_sequence_item_names_the_full_path() =>
        Assert.Contains("$.00081199.Value[0].00081155.Value[0]",
            Error("""{"00081199":{"vr":"SQ","Value":[{"00081155":{"vr":"UI","Value":[true]}}]}}""").Message);

    [Fact]
    public void Error_in_an_array_of_datasets_names_the_dataset_index()
    {
        var ex = Assert.Throws<DicomDataException>(() => DicomJsonReader.DeserializeArray("""[{}, {"00100020":{"vr":"??"}}]"""));

        Assert.Contains("$[1].00100020.vr", ex.Message);
    }

    [Fact]
    public void Object_where_an_array_of_datasets_belongs_is_rejected() =>
        Assert.Throws<DicomDataException>(() => DicomJsonReader.DeserializeArray("{}"));

    [Fact]
    public void Array_where_a_dataset_belongs_is_rejected() =>
        Assert.Contains("$: expected an object", Error("[]").Message);

    [Fact]
    public void Duplicate_key_is_rejected() =>
        Assert.Contains("more than once", Error("""{"00100020":{"vr":"LO"},"00100020":{"vr":"LO"}}""").Message);

    [Fact]
    public void Several_values_for_a_single_valued_text_VR_are_rejected() =>
        Assert.Contains("$.00720068.Value: VR LT holds a single value", Error("""{"00720068":{"vr":"LT","Value":["a","b"]}}""").Message);

    [Fact]
    public void Characters_beyond_Latin1_in_a_default_repertoire_VR_are_rejected() =>
        Assert.Contains("$.00080060.Value", Error("""{"00080060":{"vr":"CS","Value":["Ω"]}}""").Message);
}
