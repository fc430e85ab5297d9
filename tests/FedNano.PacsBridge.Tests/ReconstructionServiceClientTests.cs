using System.Net;
using FedNano.Dicom;
using FedNano.Testing;

namespace FedNano.PacsBridge.Tests;

/// <summary>The jobs API client against our service: refusals arrive as errors carrying the service's reason.</summary>
public sealed class ReconstructionServiceClientTests(PeersFixture peers) : IClassFixture<PeersFixture>
{
    private ReconstructionServiceClient Jobs() => new(new DicomWebClientOptions { BaseUrl = peers.Service.BaseAddress.ToString() });

    [Fact]
    public async Task Asking_to_reconstruct_an_image_series_is_refused_with_422_and_the_reason()
    {
        var study = Instances.Study(1);
        using (var dicomWeb = new DicomWebClient(new DicomWebClientOptions { BaseUrl = peers.Service.DicomWebRoot }))
            Assert.True((await dicomWeb.StoreAsync([study.Files.Single()])).AllStored);
        using var jobs = Jobs();

        var e = await Assert.ThrowsAsync<DicomWebException>(() => jobs.CreateAsync(new ReconstructionRequest { StudyInstanceUid = study.Study, SeriesInstanceUid = study.Series }));

        Assert.Equal(HttpStatusCode.UnprocessableContent, e.StatusCode);
        Assert.Contains("is not DICOM-CT-PD projection data", e.Message);
        Assert.Empty(await jobs.ListForSeriesAsync(study.Series));
    }

    [Fact]
    public async Task Asking_for_a_series_that_is_not_stored_is_a_404()
    {
        using var jobs = Jobs();

        var e = await Assert.ThrowsAsync<DicomWebException>(() => jobs.CreateAsync(new ReconstructionRequest { StudyInstanceUid = DicomUid.Generate(), SeriesInstanceUid = DicomUid.Generate() }));

        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Contains("is not stored", e.Message);
    }

    [Fact]
    public async Task An_unknown_job_is_a_404()
    {
        using var jobs = Jobs();

        var e = await Assert.ThrowsAsync<DicomWebException>(() => jobs.GetAsync("0123456789abcdef0123456789abcdef"));

        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
    }
}
