using System.Net;
using FedNano.Dicom;
using FedNano.DicomService.Tests.Api;
using FedNano.FederatedMLLM.Protocol;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Reports;
using FedNano.FederatedMLLM.Training;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Scans;
using FedNano.Reconstruction.Volumes;
using FedNano.Testing;
using static TorchSharp.torch;

namespace FedNano.DicomService.Tests.Federation;

/// <summary>A site reads its training data from its DICOMweb PACS (here the FedNano service's own DICOMweb API): QIDO-RS for CT series, WADO-RS for their instances, reports from files or SR in the PACS.</summary>
public sealed class PacsSiteStudiesTests : IDisposable
{
    private static readonly CtInputSpec Spec = new();

    private readonly TempDirectory _work = new("pacs-site");

    public void Dispose() => _work.Dispose();

    private string Folder => Path.Combine(_work.Path, "archive");

    private string Reports => Path.Combine(_work.Path, "reports");

    // Four CT studies: reported by accession number (text), by SR in the PACS, by series UID (text), and one not at all.
    // The same files go to the PACS and to a folder, so both sources can be compared.
    private async Task<List<string>> ArchiveAsync(ApiTestHost host, HttpClient? authorised = null)
    {
        Directory.CreateDirectory(Reports);
        using var own = authorised is null ? host.Client() : null;
        var client = authorised ?? own!;
        var seriesUids = new List<string>();
        for (int k = 0; k < 4; k++)
        {
            var volume = new ChestPhantom().Generate(new VolumeGrid(64, 64, 3, 6, 5, -5), 91_000 + k).Hounsfield;
            var metadata = ScanUids.Complete(new ScanMetadata($"PACS^{k}", $"pacs-{k}"));
            var dir = Path.Combine(Folder, $"series-{k}");
            new CtImageSeriesWriter().Write(volume, metadata, dir, new CtSeriesOptions("Chest", 2, "NONE"));
            var files = new List<byte[]>();
            foreach (var path in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
            {
                var file = DicomFile.Open(path);
                file.Dataset.AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, $"ACC{k}");
                file.Save(path);
                files.Add(file.ToBytes());
            }
            var first = DicomFile.Open(Directory.GetFiles(dir).Order(StringComparer.Ordinal).First()).Dataset;
            string report = k % 2 == 0 ? "Small right pleural effusion." : "The lungs are clear and there is no pleural effusion.";
            switch (k)
            {
                case 0:
                    File.WriteAllText(Path.Combine(Reports, "ACC0.txt"), report);
                    break;
                case 1:
                    var sr = new DicomFile(BasicTextSr.Write(report, first));
                    sr.Save(Path.Combine(Folder, "report-1.dcm"));
                    files.Add(sr.ToBytes());
                    break;
                case 2:
                    File.WriteAllText(Path.Combine(Reports, first.GetString(DicomTags.SeriesInstanceUID) + ".txt"), report);
                    break;
            }
            await host.StoreAsync(client, [.. files]);
            seriesUids.Add(first.GetString(DicomTags.SeriesInstanceUID)!);
        }
        foreach (var text in Directory.GetFiles(Reports)) File.Copy(text, Path.Combine(Folder, Path.GetFileName(text)));
        return seriesUids;
    }

    private static SitePacsOptions Pacs(ApiTestHost host, string reports) => new()
    {
        BaseUrl = new Uri(host.Server.BaseAddress, "dicomweb").ToString(),
        ReportsDirectory = reports,
        Retries = 0,
    };

    private static Task<SiteStudiesResult> LoadAsync(ApiTestHost host, SitePacsOptions options)
    {
        var pacs = new SitePacsClient(options, host.Server.CreateHandler());
        return PacsSiteStudies.LoadAsync(pacs, options, Spec, seed: 3);
    }

    [Fact]
    public async Task Reported_CT_series_come_from_the_PACS_with_the_stacks_and_questions_the_same_files_give_from_a_folder()
    {
        using var host = new ApiTestHost(new Dictionary<string, string?> { ["Reconstruction:AutoReconstruct"] = "false" });
        var series = await ArchiveAsync(host);

        var fromPacs = await LoadAsync(host, Pacs(host, Reports));
        var fromFolder = SiteStudies.LoadFolder(Folder, Spec, seed: 3);

        Assert.True(fromPacs.Series == 3, string.Join(" | ", fromPacs.Skipped));
        Assert.Contains(fromPacs.Skipped, s => s.Contains(series[3], StringComparison.Ordinal) && s.Contains("no report", StringComparison.Ordinal));
        using (fromPacs.Data)
        using (fromFolder.Data)
        {
            foreach (var study in fromFolder.Data.Samples.Select(s => s.Case).Distinct())
            {
                int a = fromPacs.Data.Samples.First(s => s.Case == study).Image, b = fromFolder.Data.Samples.First(s => s.Case == study).Image;
                Assert.True(fromPacs.Data.Images[a].eq(fromFolder.Data.Images[b]).all().item<bool>(), $"stack of study {study} differs");
                Assert.Equal(
                    fromFolder.Data.Samples.Where(s => s.Case == study && s.Type != QuestionType.Describe).Select(s => (s.Type, s.Answer)).Order(),
                    fromPacs.Data.Samples.Where(s => s.Case == study && s.Type != QuestionType.Describe).Select(s => (s.Type, s.Answer)).Order());
            }
            Assert.Equal(3, fromPacs.Data.Samples.Select(s => s.Case).Distinct().Count());
        }
    }

    [Fact]
    public async Task Paging_one_series_at_a_time_still_finds_every_series_and_MaxSeries_stops_the_search()
    {
        using var host = new ApiTestHost(new Dictionary<string, string?> { ["Reconstruction:AutoReconstruct"] = "false" });
        await ArchiveAsync(host);
        var options = Pacs(host, Reports);
        options.PageSize = 1;
        using var pacs = new SitePacsClient(options, host.Server.CreateHandler());

        var all = await pacs.SearchSeriesAsync(new Dictionary<string, string> { ["Modality"] = "CT" }, ["AccessionNumber"]);
        var two = await pacs.SearchSeriesAsync(new Dictionary<string, string> { ["Modality"] = "CT" }, [], max: 2);

        Assert.Equal(4, all.Select(s => s.GetString(DicomTags.SeriesInstanceUID)).Distinct().Count());
        Assert.Equal(["ACC0", "ACC1", "ACC2", "ACC3"], all.Select(s => s.GetString(DicomTags.AccessionNumber)).Order());
        Assert.Equal(2, two.Count);
    }

    [Fact]
    public async Task Reports_only_from_SR_in_the_PACS_train_on_the_SR_reported_study_alone()
    {
        using var host = new ApiTestHost(new Dictionary<string, string?> { ["Reconstruction:AutoReconstruct"] = "false" });
        await ArchiveAsync(host);
        var options = Pacs(host, reports: "");

        var result = await LoadAsync(host, options);

        using (result.Data)
        {
            Assert.Equal(1, result.Series);
            Assert.Equal(3, result.Skipped.Count(s => s.Contains("no report", StringComparison.Ordinal)));
            Assert.Contains(result.Data.Samples, s => s.Type == QuestionType.EffusionPresence && s.Answer == "no");
        }
    }

    [Fact]
    public async Task A_PACS_that_refuses_the_key_stops_the_load_with_its_status_and_the_right_key_reads()
    {
        using var host = new ApiTestHost(new Dictionary<string, string?>
        {
            ["Reconstruction:AutoReconstruct"] = "false",
            ["Authentication:Mode"] = "ApiKey",
            ["Authentication:ApiKeys:0"] = "site-pacs-key",
        });
        using (var client = host.Client())
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", "site-pacs-key");
            await ArchiveAsync(host, client);
        }
        var options = Pacs(host, Reports);
        options.Authentication = PacsAuthentication.ApiKey;
        options.ApiKey = "wrong";

        var error = await Assert.ThrowsAsync<PacsException>(() => LoadAsync(host, options));
        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Contains("/series?", error.Message, StringComparison.Ordinal);

        options.ApiKey = "site-pacs-key";
        var result = await LoadAsync(host, options);
        using (result.Data) Assert.Equal(3, result.Series);
    }

    [Fact]
    public async Task An_unreachable_PACS_is_retried_then_reported_naming_the_attempts()
    {
        var options = new SitePacsOptions { BaseUrl = "http://127.0.0.1:9/dicom-web", ReportsDirectory = _work.Path, Retries = 1 };
        using var pacs = new SitePacsClient(options);

        var error = await Assert.ThrowsAsync<PacsException>(() => PacsSiteStudies.LoadAsync(pacs, options, Spec, 1));

        Assert.Null(error.Status);
        Assert.Contains("after 2 attempts", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url", "BaseUrl")]
    [InlineData("http://pacs/dicom-web", "No report source")]
    public void Options_without_a_usable_PACS_or_any_report_source_are_refused(string url, string expected)
    {
        var options = new SitePacsOptions { BaseUrl = url, ReportsFromSr = false };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
