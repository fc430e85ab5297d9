using System.Net;
using System.Text.Json;
using FedNano.Dicom;
using FedNano.DicomService.Tests.Api;
using FedNano.Testing;
using Xunit.Abstractions;
using static FedNano.DicomService.Tests.Reconstruction.ReconstructionApiClient;

namespace FedNano.DicomService.Tests.Reconstruction;

/// <summary>The main job end to end: a raw helical scan STOWed in, a CT image series retrievable out.</summary>
public sealed class ReconstructionServiceTests(RawScanFixture raw, ITestOutputHelper log) : IClassFixture<RawScanFixture>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(3);

    internal static Dictionary<string, string?> Settings(bool auto = true, double incompleteTimeoutSeconds = 600) => new()
    {
        ["Reconstruction:AutoReconstruct"] = auto ? "true" : "false",
        ["Reconstruction:QuietPeriodSeconds"] = "0.3",
        ["Reconstruction:CompleteSeriesQuietPeriodSeconds"] = "0.3",
        ["Reconstruction:IncompleteSeriesTimeoutSeconds"] = incompleteTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Reconstruction:PollIntervalMilliseconds"] = "50",
        ["Reconstruction:DefaultMethod"] = "ssr-fbp",
        ["Reconstruction:Device"] = "cpu",
    };

    [Fact]
    public async Task A_stored_raw_series_is_reconstructed_into_a_CT_series_of_the_same_study()
    {
        using var host = new ApiTestHost(Settings());
        using var client = host.Client();
        await StoreInBatchesAsync(host, client, raw.Views);

        var job = await WaitForAutoJobAsync(client, raw.SeriesInstanceUid, JobTimeout);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal("auto", job.GetProperty("trigger").GetString());
        Assert.Equal(100, job.GetProperty("progress").GetDouble());
        string output = job.GetProperty("outputSeriesInstanceUid").GetString()!;
        int slices = job.GetProperty("slices").GetInt32();
        Assert.True(slices >= 2, $"{slices} slices");
        Assert.EndsWith($"/dicomweb/studies/{raw.StudyInstanceUid}/series/{output}", job.GetProperty("outputSeriesUrl").GetString());
        // The stage profile, in the order the stages ran.
        var stages = job.GetProperty("stageSeconds").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["read raw series", "set-up", "rebinning", "FBP", "other", "DICOM writing", "store"], stages);
        Assert.All(job.GetProperty("stageSeconds").EnumerateObject(), p => Assert.True(p.Value.GetDouble() >= 0));

        // QIDO finds it in the raw series' study.
        var series = JsonDocument.Parse(await client.GetStringAsync($"/dicomweb/studies/{raw.StudyInstanceUid}/series?SeriesInstanceUID={output}")).RootElement;
        Assert.Equal(1, series.GetArrayLength());
        Assert.Equal("CT", series[0].GetProperty("00080060").GetProperty("Value")[0].GetString());
        Assert.Equal(slices, series[0].GetProperty("00201209").GetProperty("Value")[0].GetInt32());

        var instances = await RetrieveSeriesAsync(client, output);
        Assert.Equal(slices, instances.Count);
        var ct = instances.Select(f => DicomFile.Read(f).Dataset).OrderBy(d => d.GetValue<int>(DicomTags.InstanceNumber)).ToList();
        var first = ct[0];
        Assert.Equal(DicomUids.CTImageStorage, first.GetString(DicomTags.SOPClassUID));
        Assert.Equal(["DERIVED", "PRIMARY", "AXIAL"], first.GetStrings(DicomTags.ImageType));
        Assert.Equal(raw.StudyInstanceUid, first.GetString(DicomTags.StudyInstanceUID));
        Assert.Equal(raw.Scan.Metadata.PatientId, first.GetString(DicomTags.PatientID));
        Assert.Equal(raw.Scan.Metadata.FrameOfReferenceUid, first.GetString(DicomTags.FrameOfReferenceUID));
        Assert.Equal([1.0, 0, 0, 0, 1, 0], first.GetValues<double>(DicomTags.ImageOrientationPatient));
        Assert.Equal(400.0 / 256, first.GetValues<double>(DicomTags.PixelSpacing)[0], 6);
        Assert.Equal(1.5, first.GetValue<double>(DicomTags.SliceThickness), 6);
        Assert.Equal(1.5, first.GetValue<double>(DicomTags.SpacingBetweenSlices), 6);
        Assert.Equal(["MEDIASTINUM", "LUNG"], first.GetStrings(DicomTags.WindowCenterWidthExplanation));
        Assert.Equal("HU", first.GetString(DicomTags.RescaleType));
        Assert.Contains("ssr-fbp", first.GetString(DicomTags.SeriesDescription));
        Assert.Contains("Single-slice rebinning", first.GetString(DicomTags.DerivationDescription));
        // Each slice references raw views of its own rotation.
        var rawUids = raw.Views.Select(v => DicomFile.Read(v).Dataset.GetString(DicomTags.SOPInstanceUID)).ToHashSet();
        var sources = first.GetSequenceItems(DicomTags.SourceImageSequence);
        Assert.InRange(sources.Count, 1, raw.Scan.Geometry.ViewsPerRotation + 1);
        Assert.All(sources, item => Assert.Contains(item.GetString(DicomTags.ReferencedSOPInstanceUID), rawUids));
        double z0 = first.GetValues<double>(DicomTags.ImagePositionPatient)[2];
        double z1 = ct[1].GetValues<double>(DicomTags.ImagePositionPatient)[2];
        Assert.Equal(1.5, z1 - z0, 6);

        // HU of known phantom regions: soft tissue and air outside the body, against the truth slice nearest in z.
        var slice = ct.MinBy(d => Math.Abs(d.GetValues<double>(DicomTags.ImagePositionPatient)[2]))!;
        double z = slice.GetValues<double>(DicomTags.ImagePositionPatient)[2];
        int k = Enumerable.Range(0, raw.Truth.Grid.Nz).MinBy(i => Math.Abs(raw.Truth.Grid.ZMm(i) - z));
        var truth = raw.Truth.Slice(k).ToArray();
        var pixels = HounsfieldPixels(slice);
        var (soft, softTruth) = RegionMeans(pixels, truth, raw.Truth.Grid.Nx, hu => hu is > -50 and < 80);
        var (air, _) = RegionMeans(pixels, truth, raw.Truth.Grid.Nx, hu => hu < -990);
        log.WriteLine($"soft tissue {soft:F1} HU (truth {softTruth:F1}), air {air:F1} HU");
        Assert.InRange(soft - softTruth, -40, 40);
        Assert.InRange(air, -1060, -940);

        // Re-read by an independent reader and checked by dciodvfy.
        var dir = Directory.CreateTempSubdirectory("fednano-recon-");
        try
        {
            var path = Path.Combine(dir.FullName, "slice.dcm");
            File.WriteAllBytes(path, instances[0]);
            var python = PeerTool.FindPython("pydicom", "python3-pydicom", log);
            if (python is not null)
            {
                var r = PeerTool.Exec(python, ["-c", "import sys, pydicom; d = pydicom.dcmread(sys.argv[1]); a = d.pixel_array; print(d.Modality, d.Rows, d.Columns, float(d.PixelSpacing[0]), a.shape[0])", path]);
                log.WriteLine(r.StdOut + r.StdErr);
                Assert.Equal(0, r.ExitCode);
                Assert.StartsWith("CT 256 256 1.5625 256", r.StdOut.Trim());
            }
            var dciodvfy = PeerTool.FindTool("dciodvfy", "dicom3tools", log);
            if (dciodvfy is not null)
            {
                var r = PeerTool.Exec(dciodvfy, [path]);
                var all = r.StdOut + r.StdErr;
                log.WriteLine(all);
                var errors = all.Split('\n').Where(l => l.Contains("Error", StringComparison.Ordinal)).ToList();
                Assert.True(errors.Count == 0, "dciodvfy reported errors:\n" + string.Join('\n', errors));
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }

        // It renders.
        var rendered = await client.GetAsync($"/dicomweb/studies/{raw.StudyInstanceUid}/series/{output}/instances/{first.GetString(DicomTags.SOPInstanceUID)}/rendered");
        Assert.Equal(HttpStatusCode.OK, rendered.StatusCode);
        Assert.True((await rendered.Content.ReadAsByteArrayAsync()).Length > 1000);

        // The change feed shows the output series: its newest events are the stored slices.
        var latest = JsonDocument.Parse(await client.GetStringAsync("/dicomweb/changefeed/latest")).RootElement.GetProperty("sequence").GetInt64();
        var feed = await client.GetStringAsync($"/dicomweb/changefeed?offset={latest - slices}&limit={slices}");
        Assert.Equal(slices, System.Text.RegularExpressions.Regex.Matches(feed, output).Count);
    }

    internal static async Task<IReadOnlyList<byte[]>> RetrieveSeriesAsync(HttpClient client, string study, string series)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/dicomweb/studies/{study}/series/{series}");
        Multipart.SetAccept(request, "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Multipart.ReadAsync(response)).Select(p => p.Body).ToList();
    }

    private Task<IReadOnlyList<byte[]>> RetrieveSeriesAsync(HttpClient client, string series) => RetrieveSeriesAsync(client, raw.StudyInstanceUid, series);

    private static float[] HounsfieldPixels(DicomDataset ds)
    {
        var bytes = ds.GetItem(DicomTags.PixelData) is DicomElement e ? e.Value.GetMemory().ToArray() : throw new InvalidOperationException("no pixel data");
        var stored = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(bytes);
        double slope = ds.GetValue<double>(DicomTags.RescaleSlope), intercept = ds.GetValue<double>(DicomTags.RescaleIntercept);
        return stored.ToArray().Select(v => (float)(v * slope + intercept)).ToArray();
    }

    /// <summary>Means over truth pixels selected by <paramref name="select"/>; the 256² reconstruction is sampled at the 128² truth pixel centres.</summary>
    private static (double Recon, double Truth) RegionMeans(float[] recon, float[] truth, int truthSize, Func<float, bool> select)
    {
        double sr = 0, st = 0;
        int n = 0;
        int scale = 256 / truthSize;
        for (int j = 2; j < truthSize - 2; j++)
        {
            for (int i = 2; i < truthSize - 2; i++)
            {
                float t = truth[j * truthSize + i];
                // Only pixels whose neighbours are of the same class, so edges (blurred by any reconstruction) stay out.
                if (!select(t) || !select(truth[j * truthSize + i + 1]) || !select(truth[j * truthSize + i - 1])
                    || !select(truth[(j + 1) * truthSize + i]) || !select(truth[(j - 1) * truthSize + i])) continue;
                // Inside the reconstruction circle only.
                double x = i - (truthSize - 1) / 2.0, y = j - (truthSize - 1) / 2.0;
                if (x * x + y * y > 0.9 * truthSize * truthSize / 4) continue;
                int ri = i * scale, rj = j * scale;
                sr += (recon[rj * 256 + ri] + recon[rj * 256 + ri + 1] + recon[(rj + 1) * 256 + ri] + recon[(rj + 1) * 256 + ri + 1]) / 4;
                st += t;
                n++;
            }
        }
        Assert.True(n > 50, $"only {n} pixels in the region");
        return (sr / n, st / n);
    }
}
