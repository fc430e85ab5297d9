using FedNano.Dicom;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Reports;
using FedNano.FederatedMLLM.Training;
using FedNano.Testing;
using Xunit;

namespace FedNano.FederatedMLLM.Tests.Radiology;

/// <summary>A site's training set is read from the CT series and reports it keeps, whatever form the reports take.</summary>
public sealed class SiteStudiesTests
{
    private static readonly CtInputSpec Spec = new() { ImageSize = 8, FieldOfViewMm = 16, PixelMean = 0.4, PixelStd = 0.3 };

    private static List<DicomDataset> Series(string study, string series, double hu) =>
        Enumerable.Range(0, 5).Select(k => CtInstances.Slice(-10 + 5 * k, 8, 2, (_, _) => hu, study: study, series: series)).ToList();

    private static void Save(string directory, IEnumerable<DicomDataset> instances)
    {
        Directory.CreateDirectory(directory);
        foreach (var ds in instances) new DicomFile(ds).Save(Path.Combine(directory, ds.GetString(DicomTags.SOPInstanceUID) + ".dcm"));
    }

    [Fact]
    public void Text_reports_by_study_or_series_and_SR_reports_all_give_training_questions()
    {
        using var dir = new TempDirectory("site-studies");
        Save(dir.Combine("a"), Series("1.2.3.1", "1.2.3.1.1", -850));
        File.WriteAllText(dir.Combine("1.2.3.1.txt"), "Small right pleural effusion.");
        Save(dir.Combine("b"), Series("1.2.3.2", "1.2.3.2.1", -700));
        File.WriteAllText(dir.Combine("1.2.3.2.1.txt"), "There is a 12 mm solid nodule in the left lower lobe.");
        var c = Series("1.2.3.3", "1.2.3.3.1", -600);
        Save(dir.Combine("c"), c);
        new DicomFile(BasicTextSr.Write("FINDINGS: No nodules, emphysema or effusion. IMPRESSION: Normal chest CT.", c[0])).Save(dir.Combine("c", "report.dcm"));

        var result = SiteStudies.LoadFolder(dir.Path, Spec, seed: 1);

        Assert.Equal(3, result.Series);
        Assert.Empty(result.Skipped);
        string Answer(string study, QuestionType type) => result.Data.Samples.Single(s => s.Case == study && s.Type == type).Answer;
        Assert.Equal("right", Answer("1.2.3.1", QuestionType.EffusionSide));
        Assert.Equal("large", Answer("1.2.3.2", QuestionType.NoduleSize));
        Assert.Equal("no", Answer("1.2.3.3", QuestionType.NodulePresence));
        Assert.Equal("Small right pleural effusion.", Answer("1.2.3.1", QuestionType.Describe));
    }

    [Fact]
    public void The_image_is_the_stack_at_the_series_middle_slice_as_the_service_builds_it()
    {
        using var dir = new TempDirectory("site-studies");
        var instances = Series("1.2.3.1", "1.2.3.1.1", -850);
        Save(dir.Path, instances);
        File.WriteAllText(dir.Combine("1.2.3.1.txt"), "Emphysema in the left lung.");
        var result = SiteStudies.LoadFolder(dir.Path, Spec, seed: 1);
        var series = AxialCtSeries.Read(instances);
        var expected = SliceStack.Build(series, Spec, series.MiddleZMm);
        Assert.Equal([1L, 3, 8, 8], result.Data.Images.shape);
        Assert.Equal(expected, result.Data.Images.data<float>().ToArray());
    }

    [Fact]
    public void Series_without_a_report_and_files_that_are_not_DICOM_are_listed_as_skipped()
    {
        using var dir = new TempDirectory("site-studies");
        Save(dir.Combine("a"), Series("1.2.3.1", "1.2.3.1.1", -850));
        File.WriteAllText(dir.Combine("1.2.3.1.txt"), "Small left pleural effusion.");
        Save(dir.Combine("b"), Series("1.2.3.2", "1.2.3.2.1", -850));
        Save(dir.Combine("c"), Series("1.2.3.3", "1.2.3.3.1", -850));
        File.WriteAllText(dir.Combine("1.2.3.3.txt"), "Comparison requested.");
        File.WriteAllBytes(dir.Combine("notes.bin"), [1, 2, 3]);

        var result = SiteStudies.LoadFolder(dir.Path, Spec, seed: 1);

        Assert.Equal(1, result.Series);
        Assert.Contains(result.Skipped, s => s.Contains("1.2.3.2.1: no report", StringComparison.Ordinal));
        Assert.Contains(result.Skipped, s => s.Contains("1.2.3.3.1: the report states no finding", StringComparison.Ordinal));
        Assert.Contains(result.Skipped, s => s.StartsWith("notes.bin: not a readable DICOM file", StringComparison.Ordinal));
    }

    [Fact]
    public void A_series_that_is_not_axial_is_skipped_with_its_reason()
    {
        using var dir = new TempDirectory("site-studies");
        var tilted = Series("1.2.3.1", "1.2.3.1.1", -850);
        foreach (var ds in tilted) ds.AddOrUpdate(DicomTags.ImageOrientationPatient, DicomVR.DS, 1.0, 0.0, 0.0, 0.0, 0.0, -1.0);
        Save(dir.Combine("a"), tilted);
        File.WriteAllText(dir.Combine("1.2.3.1.txt"), "Small left pleural effusion.");
        Save(dir.Combine("b"), Series("1.2.3.2", "1.2.3.2.1", -850));
        File.WriteAllText(dir.Combine("1.2.3.2.txt"), "Small left pleural effusion.");
        var result = SiteStudies.LoadFolder(dir.Path, Spec, seed: 1);
        Assert.Equal(1, result.Series);
        Assert.Contains(result.Skipped, s => s.Contains("1.2.3.1.1", StringComparison.Ordinal) && s.Contains("not axial", StringComparison.Ordinal));
    }

    [Fact]
    public void A_folder_with_nothing_usable_is_refused_with_the_reasons()
    {
        using var dir = new TempDirectory("site-studies");
        Save(dir.Path, Series("1.2.3.1", "1.2.3.1.1", -850));
        var e = Assert.Throws<InvalidDataException>(() => SiteStudies.LoadFolder(dir.Path, Spec, seed: 1));
        Assert.Contains("1.2.3.1.1: no report", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_is_refused() =>
        Assert.Throws<DirectoryNotFoundException>(() => SiteStudies.LoadFolder(Path.Combine(Path.GetTempPath(), "no-such-site-" + Guid.NewGuid()), Spec, 1));
}
