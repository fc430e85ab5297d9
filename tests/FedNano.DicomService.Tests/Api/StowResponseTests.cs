using FedNano.Dicom;
using FedNano.DicomService.Core;
using FedNano.DicomService.Http;
using FedNano.DicomService.Stow;

namespace FedNano.DicomService.Tests.Api;

/// <summary>The STOW-RS response dataset and status (PS3.18 §10.5.3) built from store outcomes, without HTTP.</summary>
public sealed class StowResponseTests
{
    private const string CtClass = TestInstances.CtImageSopClass;
    private static readonly DicomWebUrls Urls = new("http://host:5080/dicomweb");

    private static StowInstanceResult Stored(string study, string sop, ushort? warning = null, string? message = null) =>
        new(CtClass, sop, new InstanceKey(study, "1.2.3.4", sop), null, warning, message);

    private static StowInstanceResult Failed(string? sop, ushort reason, string message = "reason") =>
        new(sop is null ? null : CtClass, sop, null, reason, null, message);

    [Fact]
    public void All_stored_is_200_with_only_the_referenced_sequence()
    {
        var response = StowResponse.Build(new StowResult([Stored("1.2.3", "1.2.3.4.1"), Stored("1.2.3", "1.2.3.4.2")], null), Urls);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("http://host:5080/dicomweb/studies/1.2.3", response.Dataset.GetString(DicomTags.RetrieveURL));
        Assert.False(response.Dataset.Contains(DicomTags.FailedSOPSequence));
        var items = response.Dataset.GetSequenceItems(DicomTags.ReferencedSOPSequence);
        Assert.Equal(2, items.Count);
        Assert.Equal(CtClass, items[0].GetString(DicomTags.ReferencedSOPClassUID));
        Assert.Equal("1.2.3.4.1", items[0].GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Equal("http://host:5080/dicomweb/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.1", items[0].GetString(DicomTags.RetrieveURL));
        Assert.False(items[0].Contains(DicomTags.WarningReason));
        Assert.Empty(response.Messages);
    }

    [Fact]
    public void Some_failed_is_202_with_both_sequences_and_the_failure_reason()
    {
        var response = StowResponse.Build(new StowResult([Stored("1.2.3", "1.2.3.4.1"), Failed("1.2.3.4.2", 0xA900, "study mismatch")], null), Urls);

        Assert.Equal(202, response.StatusCode);
        Assert.Single(response.Dataset.GetSequenceItems(DicomTags.ReferencedSOPSequence));
        var failed = Assert.Single(response.Dataset.GetSequenceItems(DicomTags.FailedSOPSequence));
        Assert.Equal((ushort)0xA900, failed.GetValue<ushort>(DicomTags.FailureReason));
        Assert.Equal("1.2.3.4.2", failed.GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Contains(response.Messages, m => m.Contains("A900", StringComparison.Ordinal) && m.Contains("study mismatch", StringComparison.Ordinal));
    }

    [Fact]
    public void A_warning_is_202_and_the_item_carries_the_warning_reason()
    {
        var response = StowResponse.Build(new StowResult([Stored("1.2.3", "1.2.3.4.1", 0xB000, "coerced")], null), Urls);

        Assert.Equal(202, response.StatusCode);
        var item = Assert.Single(response.Dataset.GetSequenceItems(DicomTags.ReferencedSOPSequence));
        Assert.Equal((ushort)0xB000, item.GetValue<ushort>(DicomTags.WarningReason));
        Assert.False(response.Dataset.Contains(DicomTags.FailedSOPSequence));
    }

    [Theory]
    [InlineData((ushort)0xA900)] // study mismatch
    [InlineData((ushort)0x0111)] // different object under an existing SOP Instance UID
    [InlineData((ushort)0x0122)] // SOP class not supported
    [InlineData((ushort)0xC122)] // transfer syntax not supported
    [InlineData((ushort)0xA700)] // out of resources
    public void None_stored_because_of_a_conflict_is_409(ushort reason)
    {
        var response = StowResponse.Build(new StowResult([Failed("1.2.3.4.1", reason)], "1.2.3"), Urls);

        Assert.Equal(409, response.StatusCode);
        Assert.False(response.Dataset.Contains(DicomTags.ReferencedSOPSequence));
        Assert.Single(response.Dataset.GetSequenceItems(DicomTags.FailedSOPSequence));
        Assert.Equal("http://host:5080/dicomweb/studies/1.2.3", response.Dataset.GetString(DicomTags.RetrieveURL));
    }

    [Fact]
    public void None_stored_because_everything_is_malformed_is_400()
    {
        var response = StowResponse.Build(new StowResult([Failed(null, 0xC000), Failed(null, 0xC001)], null), Urls);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(2, response.Dataset.GetSequenceItems(DicomTags.FailedSOPSequence).Count);
        Assert.False(response.Dataset.Contains(DicomTags.ReferencedSOPSequence));
        Assert.False(response.Dataset.Contains(DicomTags.RetrieveURL)); // no study known
    }

    [Fact]
    public void Malformed_and_conflicting_failures_together_are_409()
    {
        var response = StowResponse.Build(new StowResult([Failed(null, 0xC000), Failed("1.2.3.4.1", 0xA900)], null), Urls);
        Assert.Equal(409, response.StatusCode);
    }

    [Fact]
    public void An_empty_result_is_400()
    {
        var response = StowResponse.Build(new StowResult([], null), Urls);
        Assert.Equal(400, response.StatusCode);
        Assert.Equal(0, response.StoredCount);
        Assert.Equal(0, response.FailedCount);
    }

    [Fact]
    public void Instances_of_several_studies_leave_out_the_top_level_retrieve_url()
    {
        var response = StowResponse.Build(new StowResult([Stored("1.2.3", "1.2.3.4.1"), Stored("1.2.5", "1.2.5.4.1")], null), Urls);
        Assert.Equal(200, response.StatusCode);
        Assert.False(response.Dataset.Contains(DicomTags.RetrieveURL));
    }

    [Fact]
    public void The_response_serializes_as_dicom_json_with_the_standard_tags()
    {
        var response = StowResponse.Build(new StowResult([Stored("1.2.3", "1.2.3.4.1"), Failed("1.2.3.4.2", 0x0111)], null), Urls);
        var json = DicomJsonWriter.Serialize(response.Dataset);

        Assert.Contains("\"00081190\":{\"vr\":\"UR\"", json, StringComparison.Ordinal);
        Assert.Contains("\"00081199\":{\"vr\":\"SQ\"", json, StringComparison.Ordinal);
        Assert.Contains("\"00081198\":{\"vr\":\"SQ\"", json, StringComparison.Ordinal);
        Assert.Contains("\"00081197\":{\"vr\":\"US\",\"Value\":[273]}", json, StringComparison.Ordinal);
    }
}
