using FedNano.Dicom;

namespace FedNano.Dicom.Tests.Model;

public class DicomTagTests
{
    [Theory]
    [InlineData("(0010,0010)")]
    [InlineData("0010,0010")]
    [InlineData("00100010")]
    public void Tags_parse_from_common_notations(string text) =>
        Assert.Equal(new DicomTag(0x0010, 0x0010), DicomTag.Parse(text));

    [Fact]
    public void Tags_format_as_group_element_and_json_key()
    {
        var tag = new DicomTag(0x7FE0, 0x0010);
        Assert.Equal("(7FE0,0010)", tag.ToString());
        Assert.Equal("7FE00010", tag.ToJsonKey());
    }

    [Fact]
    public void Private_creator_and_block_are_recognised()
    {
        var element = new DicomTag(0x7029, 0x1010);
        Assert.True(element.IsPrivate);
        Assert.False(element.IsPrivateCreator);
        Assert.Equal(new DicomTag(0x7029, 0x0010), element.PrivateCreatorTag);
        Assert.True(new DicomTag(0x7029, 0x0010).IsPrivateCreator);
    }

    [Fact]
    public void Garbage_is_not_a_tag() => Assert.False(DicomTag.TryParse("hello", out _));
}
