using FedNano.Dicom;

namespace FedNano.Dicom.Tests.Model;

public class DicomUidTests
{
    [Fact]
    public void Generated_UIDs_are_valid_and_unique_under_2_25()
    {
        var uids = Enumerable.Range(0, 1000).Select(_ => DicomUid.Generate()).ToList();
        Assert.All(uids, u => Assert.True(DicomUid.IsValid(u), u));
        Assert.All(uids, u => Assert.StartsWith("2.25.", u));
        Assert.Equal(uids.Count, uids.Distinct().Count());
    }

    [Fact]
    public void Generated_UIDs_under_a_root_fit_64_characters()
    {
        const string root = "1.2.826.0.1.3680043.10.1234.5678";
        var uid = DicomUid.Generate(root);
        Assert.StartsWith(root + ".", uid);
        Assert.True(uid.Length <= 64);
        Assert.True(DicomUid.IsValid(uid), uid);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("1.2.03", "leading zero")]
    [InlineData("1..2", "empty component")]
    [InlineData("1.2.a", "not numeric")]
    [InlineData("1.2.3456789012345678901234567890123456789012345678901234567890123", "64")]
    public void Invalid_UIDs_are_explained(string uid, string reason)
    {
        Assert.Contains(reason, DicomUid.Validate(uid));
    }

    [Fact]
    public void An_invalid_root_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => DicomUid.Generate("1.02"));
    }
}
