using FedNano.Dicom;

namespace FedNano.Dicom.Tests.Model;

public class DicomDatasetTests
{
    [Fact]
    public void Items_are_kept_in_ascending_tag_order_whatever_the_insertion_order()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.PatientName, "Doe^Jane")
            .AddOrUpdate(DicomTags.Modality, "CT")
            .AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3")
            .AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)4);
        Assert.Equal(ds.Items.Select(i => i.Tag).OrderBy(t => t.Value), ds.Items.Select(i => i.Tag));
    }

    [Fact]
    public void Setting_an_existing_tag_replaces_its_value()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.PatientID, "A").AddOrUpdate(DicomTags.PatientID, "B");
        Assert.Equal(1, ds.Count);
        Assert.Equal("B", ds.GetString(DicomTags.PatientID));
    }

    [Fact]
    public void Text_uses_the_dictionary_VR_when_none_is_given()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.StudyDate, "20240131");
        Assert.Equal(DicomVR.DA, ds.GetItem(DicomTags.StudyDate)!.VR);
    }

    [Fact]
    public void Multiple_values_split_at_backslash_with_insignificant_spaces_removed()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.ImageType, "ORIGINAL ", " PRIMARY", "AXIAL");
        Assert.Equal(["ORIGINAL", "PRIMARY", "AXIAL"], ds.GetStrings(DicomTags.ImageType));
    }

    [Fact]
    public void Long_text_keeps_backslashes_as_ordinary_characters()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.ImageComments, DicomVR.LT, @"a\b");
        Assert.Equal([@"a\b"], ds.GetStrings(DicomTags.ImageComments));
    }

    [Fact]
    public void Binary_numbers_are_read_back_in_their_own_width()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)512)
            .AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, 0.7, 0.75);
        Assert.Equal((ushort)512, ds.GetValue<ushort>(DicomTags.Rows));
        Assert.Equal(512, ds.GetValue<int>(DicomTags.Rows));
        Assert.Equal([0.7, 0.75], ds.GetValues<double>(DicomTags.PixelSpacing));
    }

    [Fact]
    public void Decimal_strings_that_are_not_numbers_raise_a_data_error()
    {
        var ds = new DicomDataset().AddOrUpdate(new DicomElement(DicomTags.SliceThickness, DicomVR.DS, "abc"u8.ToArray()));
        var ex = Assert.Throws<DicomDataException>(() => ds.GetValues<double>(DicomTags.SliceThickness));
        Assert.Contains("abc", ex.Message);
        Assert.False(ds.TryGetValue<double>(DicomTags.SliceThickness, out _));
    }

    [Fact]
    public void Values_that_do_not_fit_the_requested_type_are_rejected_not_wrapped()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)60000);
        Assert.Throws<DicomDataException>(() => ds.GetValues<short>(DicomTags.Rows));
    }

    [Fact]
    public void Decimal_strings_are_written_within_sixteen_characters()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.SliceLocation, DicomVR.DS, Math.PI * 1e6);
        var text = ds.GetString(DicomTags.SliceLocation)!;
        Assert.True(text.Length <= 16, text);
        Assert.Equal(Math.PI * 1e6, double.Parse(text, System.Globalization.CultureInfo.InvariantCulture), 6);
    }

    [Fact]
    public void Decimal_strings_refuse_NaN()
    {
        Assert.Throws<DicomDataException>(() => new DicomDataset().AddOrUpdate(DicomTags.SliceLocation, DicomVR.DS, double.NaN));
    }

    [Fact]
    public void Dates_and_times_parse_from_their_DICOM_forms()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.StudyDate, new DateOnly(2024, 2, 29))
            .AddOrUpdate(DicomTags.StudyTime, "101530.25")
            .AddOrUpdate(DicomTags.AcquisitionDateTime, "20240229101530.5+0100");
        Assert.Equal(new DateOnly(2024, 2, 29), ds.GetDate(DicomTags.StudyDate));
        Assert.Equal(new TimeOnly(10, 15, 30, 250), ds.GetTime(DicomTags.StudyTime));
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 10, 15, 30, 500, TimeSpan.FromHours(1)), ds.GetDateTime(DicomTags.AcquisitionDateTime));
    }

    [Theory]
    [InlineData("20230229")]
    [InlineData("2024131")]
    [InlineData("abcdefgh")]
    public void Invalid_dates_read_as_null(string text)
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.StudyDate, text);
        Assert.Null(ds.GetDate(DicomTags.StudyDate));
    }

    [Fact]
    public void Person_names_split_into_groups_and_components()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.PatientName, "Doe^Jane^Q^Dr^PhD");
        var pn = ds.GetPersonName(DicomTags.PatientName)!;
        Assert.Equal(("Doe", "Jane", "Q", "Dr", "PhD"), (pn.FamilyName, pn.GivenName, pn.MiddleName, pn.Prefix, pn.Suffix));
    }

    [Fact]
    public void Attribute_tags_round_trip()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.FrameIncrementPointer, DicomTags.FrameTime, DicomTags.SliceLocation);
        Assert.Equal([DicomTags.FrameTime, DicomTags.SliceLocation], ds.GetTags(DicomTags.FrameIncrementPointer));
    }

    [Fact]
    public void Non_ASCII_text_switches_an_unset_character_set_to_UTF8()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.PatientName, "Müller^Jürgen");
        Assert.Equal("ISO_IR 192", ds.GetString(DicomTags.SpecificCharacterSet));
        Assert.Equal("Müller^Jürgen", ds.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Sequence_items_inherit_the_parents_character_set()
    {
        var item = new DicomDataset();
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 100")
            .AddOrUpdate(DicomTags.ReferencedStudySequence, item);
        item.AddOrUpdate(DicomTags.PatientName, "Buc^Jérôme");
        var bytes = ((DicomElement)item.GetItem(DicomTags.PatientName)!).Value.GetMemory().ToArray();
        Assert.Contains((byte)0xE9, bytes); // Latin-1 é, not UTF-8
        Assert.Equal("Buc^Jérôme", ds.GetSequenceItems(DicomTags.ReferencedStudySequence)[0].GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Clone_is_deep()
    {
        var item = new DicomDataset().AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, "1.2");
        var ds = new DicomDataset().AddOrUpdate(DicomTags.ReferencedImageSequence, item);
        var copy = ds.Clone();
        copy.GetSequenceItems(DicomTags.ReferencedImageSequence)[0].AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, "9.9");
        Assert.Equal("1.2", ds.GetSequenceItems(DicomTags.ReferencedImageSequence)[0].GetString(DicomTags.ReferencedSOPInstanceUID));
    }

    [Fact]
    public void Private_blocks_are_reserved_once_per_creator()
    {
        var ds = new DicomDataset();
        var a = ds.GetPrivateTag(0x7031, "DetectorDynamicsModule", 0x01, reserve: true)!.Value;
        var b = ds.GetPrivateTag(0x7031, "OtherVendor", 0x01, reserve: true)!.Value;
        var again = ds.GetPrivateTag(0x7031, "DetectorDynamicsModule", 0x01)!.Value;
        Assert.Equal(new DicomTag(0x7031, 0x1001), a);
        Assert.Equal(new DicomTag(0x7031, 0x1101), b);
        Assert.Equal(a, again);
        Assert.Equal("DetectorDynamicsModule", ds.GetPrivateCreator(a));
    }

    [Fact]
    public void Private_tags_need_an_odd_group()
    {
        Assert.Throws<ArgumentException>(() => new DicomDataset().GetPrivateTag(0x0010, "X", 1, reserve: true));
    }
}
