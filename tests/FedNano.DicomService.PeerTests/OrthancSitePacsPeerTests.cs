using FedNano.Dicom;
using FedNano.FederatedMLLM.Protocol;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Reports;
using FedNano.FederatedMLLM.Training;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Scans;
using FedNano.Reconstruction.Volumes;
using FedNano.Testing;
using Xunit.Abstractions;

namespace FedNano.DicomService.PeerTests;

/// <summary>A hospital site reads its training data from a real PACS: Orthanc's DICOMweb plugin behind HTTP Basic authentication.</summary>
public sealed class OrthancSitePacsPeerTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _work = new("orthanc-site-pacs");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_site_reads_CT_series_and_SR_reports_from_Orthanc_as_it_reads_the_same_files_from_a_folder()
    {
        var exe = OrthancProcess.FindExecutable(out var exeReason);
        var plugin = OrthancProcess.FindPlugin(out var pluginReason);
        if (exe is null || plugin is null) { PeerTool.Missing(exe is null ? exeReason : pluginReason, output); return; }
        await using var orthanc = await OrthancProcess.StartAsync(exe, plugin, "http://127.0.0.1:9/dicomweb", ("site", "pacs-secret"));
        var folder = _work.Combine("archive");
        var reports = _work.Combine("reports");
        Directory.CreateDirectory(reports);
        // Three studies: reported by a Basic Text SR stored in Orthanc, by a text file named after the accession number, and not at all.
        for (int k = 0; k < 3; k++)
        {
            var dir = Path.Combine(folder, $"series-{k}");
            var volume = new ChestPhantom().Generate(new VolumeGrid(64, 64, 3, 6, 5, -5), 92_000 + k).Hounsfield;
            new CtImageSeriesWriter().Write(volume, ScanUids.Complete(new ScanMetadata($"ORTHANC^{k}", $"orthanc-{k}")), dir, new CtSeriesOptions("Chest", 2, "NONE"));
            foreach (var path in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
            {
                var file = DicomFile.Open(path);
                file.Dataset.AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, $"OR{k}");
                file.Save(path);
                await orthanc.UploadAsync(file.ToBytes());
            }
            if (k == 0)
            {
                var first = DicomFile.Open(Directory.GetFiles(dir).Order(StringComparer.Ordinal).First()).Dataset;
                var sr = new DicomFile(BasicTextSr.Write("FINDINGS: Small left pleural effusion. IMPRESSION: Effusion.", first));
                sr.Save(Path.Combine(folder, "report-0.dcm"));
                await orthanc.UploadAsync(sr.ToBytes());
            }
            if (k == 1) File.WriteAllText(Path.Combine(reports, "OR1.txt"), "The lungs are clear and there is no pleural effusion.");
        }
        File.Copy(Path.Combine(reports, "OR1.txt"), Path.Combine(folder, "OR1.txt"));
        var options = new SitePacsOptions
        {
            BaseUrl = orthanc.DicomWebRoot,
            Authentication = PacsAuthentication.Basic,
            UserName = "site",
            Password = "pacs-secret",
            ReportsDirectory = reports,
            PageSize = 1, // Orthanc's limit/offset paging, one series a page
            Retries = 0,
        };
        var spec = new CtInputSpec();
        using var pacs = new SitePacsClient(options);

        var fromPacs = await PacsSiteStudies.LoadAsync(pacs, options, spec, seed: 5);
        var fromFolder = SiteStudies.LoadFolder(folder, spec, seed: 5);

        using (fromPacs.Data)
        using (fromFolder.Data)
        {
            Assert.True(fromPacs.Series == 2, string.Join(" | ", fromPacs.Skipped));
            Assert.Single(fromPacs.Skipped, s => s.Contains("no report", StringComparison.Ordinal));
            foreach (var study in fromFolder.Data.Samples.Select(s => s.Case).Distinct())
            {
                int a = fromPacs.Data.Samples.First(s => s.Case == study).Image, b = fromFolder.Data.Samples.First(s => s.Case == study).Image;
                Assert.True(fromPacs.Data.Images[a].eq(fromFolder.Data.Images[b]).all().item<bool>(), $"stack of study {study} differs between Orthanc and the folder");
            }
            Assert.Contains(fromPacs.Data.Samples, s => s.Type == QuestionType.EffusionPresence && s.Answer == "yes");
            Assert.Contains(fromPacs.Data.Samples, s => s.Type == QuestionType.EffusionPresence && s.Answer == "no");
        }

        options.Password = "wrong";
        using var refused = new SitePacsClient(options);
        var error = await Assert.ThrowsAsync<PacsException>(() => PacsSiteStudies.LoadAsync(refused, options, spec, seed: 5));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.Status);
    }
}
