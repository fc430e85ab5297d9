using FedNano.Dicom;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Reports;
using FedNano.Testing;

namespace FedNano.FederatedMLLM.Tests;

/// <summary>Reports as DICOM Basic Text SR: written for a study, read back by our codec and by pydicom.</summary>
public sealed class BasicTextSrTests
{
    private static readonly string Report = ReportWriter.Write(
        new SliceFindings([new Nodule(Side.Left, "upper", 7, "solid")], [], []), ReportStyle.Structured);

    private static DicomDataset Study()
    {
        var ct = Instances.Study(1, rows: 8, columns: 8).Instances[0];
        return DicomFile.Read(new MemoryStream(ct.File)).Dataset;
    }

    [Fact]
    public void A_structured_report_round_trips_through_Part_10_with_findings_and_impression_items()
    {
        var source = Study();
        var sr = BasicTextSr.Write(Report, source);
        var bytes = new DicomFile(sr).ToBytes(DicomTransferSyntax.ExplicitVRLittleEndian);

        var back = DicomFile.Read(new MemoryStream(bytes)).Dataset;

        Assert.Equal(Report, BasicTextSr.ReadText(back));
        Assert.Equal(source.GetString(DicomTags.StudyInstanceUID), back.GetString(DicomTags.StudyInstanceUID));
        Assert.Equal(source.GetString(DicomTags.PatientID), back.GetString(DicomTags.PatientID));
        Assert.Equal(2, back.GetSequenceItems(DicomTags.ContentSequence).Count);
        Assert.Equal(BasicTextSr.SopClassUid, back.GetString(DicomTags.SOPClassUID));
    }

    [Fact]
    public void Free_text_becomes_one_finding_item()
    {
        var sr = BasicTextSr.Write("Small left pleural effusion.", Study());

        Assert.Single(sr.GetSequenceItems(DicomTags.ContentSequence));
        Assert.Equal("Small left pleural effusion.", BasicTextSr.ReadText(sr));
    }

    [Fact]
    public void An_image_instance_is_not_read_as_a_report()
    {
        var e = Assert.Throws<FormatException>(() => BasicTextSr.ReadText(Study()));

        Assert.Contains("not a structured report", e.Message);
    }

    [Fact]
    public void Pydicom_reads_the_report_text()
    {
        if (PeerTool.FindPython("pydicom", "python3-pydicom") is not { } python) return;
        using var dir = new TempDirectory("sr");
        var path = dir.Combine("report.dcm");
        File.WriteAllBytes(path, new DicomFile(BasicTextSr.Write(Report, Study())).ToBytes(DicomTransferSyntax.ExplicitVRLittleEndian));

        var text = PeerTool.RunChecked(python, "-c", "import sys, pydicom; d = pydicom.dcmread(sys.argv[1]); print(d.ContentSequence[0].TextValue); print(d.ContentSequence[1].ConceptNameCodeSequence[0].CodeMeaning)", path);

        Assert.Contains("7 mm solid nodule in the left upper lobe.", text);
        Assert.Contains("Impression", text);
    }

    [Fact]
    public void Dciodvfy_finds_no_errors_in_the_report()
    {
        if (PeerTool.FindTool("dciodvfy", "dicom3tools") is not { } dciodvfy) return;
        using var dir = new TempDirectory("sr-iod");
        var path = dir.Combine("report.dcm");
        File.WriteAllBytes(path, new DicomFile(BasicTextSr.Write(Report, Study())).ToBytes(DicomTransferSyntax.ExplicitVRLittleEndian));

        var r = PeerTool.Exec(dciodvfy, [path]);
        var errors = (r.StdOut + r.StdErr).Split('\n').Where(l => l.Contains("Error", StringComparison.Ordinal)).ToList();

        Assert.True(errors.Count == 0, "dciodvfy reported errors:\n" + string.Join('\n', errors));
    }
}
