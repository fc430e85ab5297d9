using System.Net;
using System.Net.Sockets;
using FedNano.Dicom;
using FedNano.Testing;
using Xunit.Abstractions;

namespace FedNano.PacsBridge.Tests;

/// <summary>The DICOMweb client against real servers: our service and Orthanc 1.10 with its DICOMweb plugin.</summary>
public sealed class DicomWebClientTests(PeersFixture peers, ITestOutputHelper output) : IClassFixture<PeersFixture>
{
    private DicomWebClient? Client(string server)
    {
        if (server == "fednano") return new DicomWebClient(new DicomWebClientOptions { BaseUrl = peers.Service.DicomWebRoot, TimeoutSeconds = 60 });
        if (peers.Orthanc is null)
        {
            PeerTool.Missing(peers.MissingReason, output);
            return null;
        }
        return new DicomWebClient(new DicomWebClientOptions
        {
            BaseUrl = peers.Orthanc.DicomWebRoot, TimeoutSeconds = 60,
            Authentication = DicomWebAuthentication.Basic, UserName = PeersFixture.OrthancUser.User, Password = PeersFixture.OrthancUser.Password,
        });
    }

    [Theory]
    [InlineData("fednano")]
    [InlineData("orthanc")]
    public async Task Stored_instances_are_found_by_QIDO_and_retrieved_with_the_same_content(string server)
    {
        using var client = Client(server);
        if (client is null) return;
        var study = Instances.Study(3, patientId: Instances.UniquePatientId("BRIDGE"));

        var stow = await client.StoreAsync(study.Files.Select(f => (StowPart)f).ToList());

        Assert.True(stow.AllStored, $"{stow.StatusCode}: failed {string.Join(", ", stow.Failed)}");
        Assert.Equal(study.Sops.Order(), stow.Stored.Order());
        var studies = await client.SearchStudiesAsync([new("PatientID", study.PatientId)]);
        Assert.Equal(study.Study, Assert.Single(studies).GetString(DicomTags.StudyInstanceUID));
        var series = await client.SearchSeriesAsync(study.Study);
        Assert.Equal(study.Series, Assert.Single(series).GetString(DicomTags.SeriesInstanceUID));
        var instances = await client.SearchInstancesAsync(study.Study, study.Series);
        Assert.Equal(study.Sops.Order(), instances.Select(i => i.GetString(DicomTags.SOPInstanceUID)).Order());
        var retrieved = new List<DicomDataset>();
        await foreach (var part in client.RetrieveAsync(study.Study, study.Series)) retrieved.Add(DicomFile.Read(part).Dataset);
        Assert.Equal(3, retrieved.Count);
        foreach (var ds in retrieved)
        {
            var sent = study[ds.GetString(DicomTags.SOPInstanceUID)!];
            var pixels = ((DicomElement)ds.GetItem(DicomTags.PixelData)!).Value.GetMemory().ToArray();
            Assert.Equal(sent.Pixels, pixels);
            Assert.Equal(study.PatientId, ds.GetString(DicomTags.PatientID));
        }
        var metadata = await client.RetrieveSeriesMetadataAsync(study.Study, study.Series);
        Assert.Equal(3, metadata.Count);
    }

    [Theory]
    [InlineData("fednano")]
    [InlineData("orthanc")]
    public async Task Instances_of_unknown_length_go_chunked_and_are_stored(string server)
    {
        using var client = Client(server);
        if (client is null) return;
        var study = Instances.Study(2);

        var stow = await client.StoreAsync(study.Files.Select(f => StowPart.FromStream(new ForwardOnlyStream(f))).ToList(), study.Study);

        Assert.True(stow.AllStored, $"{stow.StatusCode}: failed {string.Join(", ", stow.Failed)}");
        Assert.Equal(2, (await client.SearchInstancesAsync(study.Study, study.Series)).Count);
    }

    [Fact]
    public async Task A_STOW_body_of_known_parts_declares_its_exact_length()
    {
        var study = Instances.Study(3);
        using var content = new StowContent([study.Files.First(), StowPart.FromStream(new MemoryStream(study.Files.Last())), study.Files.ElementAt(1)]);

        var declared = content.Headers.ContentLength;
        var body = await content.ReadAsByteArrayAsync();

        Assert.Equal(body.Length, declared);
        Assert.StartsWith("multipart/related; type=\"application/dicom\"; boundary=", content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task A_STOW_into_another_study_reports_each_refused_instance_with_its_failure_reason()
    {
        using var client = Client("fednano")!;
        var study = Instances.Study(2);

        var stow = await client.StoreAsync(study.Files.Select(f => (StowPart)f).ToList(), DicomUid.Generate());

        Assert.Equal(409, stow.StatusCode);
        Assert.False(stow.AllStored);
        Assert.Equal(study.Sops.Order(), stow.Failed.Select(f => f.SopInstanceUid).Order());
        Assert.All(stow.Failed, f => Assert.NotEqual(0, f.FailureReason));
        Assert.Empty(await client.SearchInstancesAsync(study.Study, null));
    }

    [Theory]
    [InlineData("fednano")]
    [InlineData("orthanc")]
    public async Task Retrieving_an_unknown_series_is_a_404_that_a_retry_cannot_fix(string server)
    {
        using var client = Client(server);
        if (client is null) return;

        var e = await Assert.ThrowsAsync<DicomWebException>(async () =>
        {
            await foreach (var _ in client.RetrieveAsync(DicomUid.Generate(), DicomUid.Generate())) { }
        });

        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task Our_service_in_bearer_mode_refuses_a_client_without_the_token_and_serves_one_with_it()
    {
        using var without = new DicomWebClient(new DicomWebClientOptions { BaseUrl = peers.SecuredService.DicomWebRoot });
        using var with = new DicomWebClient(new DicomWebClientOptions
        {
            BaseUrl = peers.SecuredService.DicomWebRoot, Authentication = DicomWebAuthentication.Bearer, BearerToken = PeersFixture.Token,
        });

        var e = await Assert.ThrowsAsync<DicomWebException>(() => without.SearchStudiesAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.NotNull(await with.SearchStudiesAsync());
    }

    [Fact]
    public async Task Orthanc_with_authentication_refuses_a_client_without_Basic_credentials()
    {
        if (peers.Orthanc is null)
        {
            PeerTool.Missing(peers.MissingReason, output);
            return;
        }
        using var client = new DicomWebClient(new DicomWebClientOptions { BaseUrl = peers.Orthanc.DicomWebRoot });

        var e = await Assert.ThrowsAsync<DicomWebException>(() => client.SearchStudiesAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_answers_times_out_as_a_transient_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = listener.AcceptSocketAsync();
        using var client = new DicomWebClient(new DicomWebClientOptions { BaseUrl = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/dicom-web", TimeoutSeconds = 1 });

        var e = await Assert.ThrowsAsync<DicomWebException>(() => client.SearchStudiesAsync());

        Assert.Contains("no response within 1 s", e.Message);
        Assert.True(e.IsTransient);
        (await accepted).Dispose();
    }

    [Fact]
    public async Task A_server_that_is_down_is_a_transient_error()
    {
        int port = ChildProcess.FreePort();
        using var client = new DicomWebClient(new DicomWebClientOptions { BaseUrl = $"http://127.0.0.1:{port}/dicom-web", TimeoutSeconds = 5 });

        var e = await Assert.ThrowsAsync<DicomWebException>(() => client.SearchStudiesAsync());

        Assert.Null(e.StatusCode);
        Assert.True(e.IsTransient);
    }

    [Theory]
    [InlineData("ftp://pacs/dicom-web", null, "not an absolute http or https URL")]
    [InlineData("pacs/dicom-web", null, "not an absolute http or https URL")]
    [InlineData("http://pacs/dicom-web", "Bearer", "needs a token")]
    [InlineData("http://pacs/dicom-web", "Basic", "needs a user name")]
    public void Invalid_client_settings_are_refused_with_the_reason(string url, string? mode, string reason)
    {
        var options = new DicomWebClientOptions { BaseUrl = url, Authentication = mode is null ? DicomWebAuthentication.None : Enum.Parse<DicomWebAuthentication>(mode) };

        var e = Assert.Throws<ArgumentException>(() => new DicomWebClient(options));

        Assert.Contains(reason, e.Message);
    }

    /// <summary>A stream that cannot seek, so its length is unknown up front.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
