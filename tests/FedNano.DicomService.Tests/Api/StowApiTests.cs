using System.Net;
using System.Net.Http.Headers;
using FedNano.Dicom;

namespace FedNano.DicomService.Tests.Api;

/// <summary>STOW-RS over HTTP: status codes, response dataset, content types, idempotency and conflicts.</summary>
public sealed class StowApiTests : IDisposable
{
    private readonly ApiTestHost _host = new();
    private readonly HttpClient _client;

    public StowApiTests() => _client = _host.Client();

    public void Dispose()
    {
        _client.Dispose();
        _host.Dispose();
    }

    [Fact]
    public async Task Storing_valid_instances_answers_200_with_the_referenced_sequence()
    {
        var (study, series, sops, files) = TestInstances.Series(2);

        using var response = await _host.StowAsync(_client, "/dicomweb/studies", files);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DicomWebMediaTypes.ApplicationDicomJson, response.MediaType());
        var ds = await response.ReadDatasetAsync();
        Assert.Equal($"http://localhost/dicomweb/studies/{study}", ds.GetString(DicomTags.RetrieveURL));
        Assert.False(ds.Contains(DicomTags.FailedSOPSequence));
        var items = ds.GetSequenceItems(DicomTags.ReferencedSOPSequence);
        Assert.Equal(sops, items.Select(i => i.GetString(DicomTags.ReferencedSOPInstanceUID)).ToArray());
        Assert.All(items, i => Assert.Equal(TestInstances.CtImageSopClass, i.GetString(DicomTags.ReferencedSOPClassUID)));
        Assert.Equal($"http://localhost/dicomweb/studies/{study}/series/{series}/instances/{sops[0]}", items[0].GetString(DicomTags.RetrieveURL));
    }

    [Fact]
    public async Task Some_parts_failing_answers_202_with_both_sequences()
    {
        var (_, _, sops, files) = TestInstances.Series(1);
        var garbage = "this is not DICOM at all"u8.ToArray();

        using var response = await _host.StowAsync(_client, "/dicomweb/studies", files[0], garbage);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ds = await response.ReadDatasetAsync();
        Assert.Equal(sops[0], Assert.Single(ds.GetSequenceItems(DicomTags.ReferencedSOPSequence)).GetString(DicomTags.ReferencedSOPInstanceUID));
        var failed = Assert.Single(ds.GetSequenceItems(DicomTags.FailedSOPSequence));
        Assert.True(failed.Contains(DicomTags.FailureReason));
        Assert.True(response.Headers.Contains("Warning"));
    }

    [Fact]
    public async Task A_study_mismatch_with_the_url_answers_409_and_stores_nothing()
    {
        var (study, _, _, files) = TestInstances.Series(1);
        var otherStudy = TestInstances.NewUid();

        using var response = await _host.StowAsync(_client, $"/dicomweb/studies/{otherStudy}", files);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var ds = await response.ReadDatasetAsync();
        Assert.False(ds.Contains(DicomTags.ReferencedSOPSequence));
        var failed = Assert.Single(ds.GetSequenceItems(DicomTags.FailedSOPSequence));
        Assert.Equal((ushort)0xA900, failed.GetValue<ushort>(DicomTags.FailureReason));
        Assert.Equal($"http://localhost/dicomweb/studies/{otherStudy}", ds.GetString(DicomTags.RetrieveURL));
        using var query = await _client.GetAsync($"/dicomweb/studies?StudyInstanceUID={study}");
        Assert.Equal(HttpStatusCode.NoContent, query.StatusCode);
    }

    [Fact]
    public async Task Posting_to_the_matching_study_url_answers_200()
    {
        var (study, _, _, files) = TestInstances.Series(1);
        using var response = await _host.StowAsync(_client, $"/dicomweb/studies/{study}", files);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_invalid_study_uid_in_the_url_answers_400_problem()
    {
        var (_, _, _, files) = TestInstances.Series(1);
        using var response = await _host.StowAsync(_client, "/dicomweb/studies/not.a..uid", files);
        await response.AssertProblemAsync(400);
    }

    [Fact]
    public async Task Only_malformed_parts_answer_400_with_the_failed_sequence()
    {
        using var response = await _host.StowAsync(_client, "/dicomweb/studies", "garbage one"u8.ToArray(), "garbage two!"u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var ds = await response.ReadDatasetAsync();
        Assert.Equal(2, ds.GetSequenceItems(DicomTags.FailedSOPSequence).Count);
        Assert.False(ds.Contains(DicomTags.ReferencedSOPSequence));
    }

    [Fact]
    public async Task A_request_without_parts_answers_400_problem()
    {
        using var response = await _host.StowAsync(_client, "/dicomweb/studies");
        var detail = await response.AssertProblemAsync(400);
        Assert.Contains("no parts", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_multipart_body_answers_400_problem()
    {
        var (_, _, _, files) = TestInstances.Series(1);
        var (body, contentType) = Multipart.Build(files);
        var truncated = body[..(body.Length - 40)];
        using var content = new ByteArrayContent(truncated).WithContentType(contentType);

        using var response = await _client.PostAsync("/dicomweb/studies", content);

        await response.AssertProblemAsync(400);
    }

    [Theory]
    [InlineData("application/dicom")]
    [InlineData("multipart/related; type=\"application/dicom+json\"; boundary=abc")]
    [InlineData("multipart/form-data; boundary=abc")]
    [InlineData("text/plain")]
    public async Task A_wrong_content_type_answers_415(string contentType)
    {
        var (_, _, _, files) = TestInstances.Series(1);
        using var content = new ByteArrayContent(files[0]).WithContentType(contentType);

        using var response = await _client.PostAsync("/dicomweb/studies", content);

        var detail = await response.AssertProblemAsync(415);
        Assert.Contains("multipart/related", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_content_type_answers_415()
    {
        using var content = new ByteArrayContent([1, 2, 3]);
        content.Headers.ContentType = null;
        using var response = await _client.PostAsync("/dicomweb/studies", content);
        await response.AssertProblemAsync(415);
    }

    [Theory]
    [InlineData("multipart/related; type=\"application/dicom\"; boundary={0}")]
    [InlineData("multipart/related; type=application/dicom; boundary={0}")]
    [InlineData("Multipart/Related; boundary=\"{0}\"; TYPE=\"Application/DICOM\"")]
    public async Task The_type_parameter_may_be_quoted_or_not(string template)
    {
        var (_, _, _, files) = TestInstances.Series(1);
        var (body, contentType) = Multipart.Build(files);
        var boundary = MultipartRelatedReader.GetBoundary(contentType);
        using var content = new ByteArrayContent(body).WithContentType(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, boundary));

        using var response = await _client.PostAsync("/dicomweb/studies", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_streamed_body_without_content_length_is_stored()
    {
        var (study, _, _, files) = TestInstances.Series(3);
        var (body, contentType) = Multipart.Build(files);
        // A non-seekable stream of unknown length: sent like a chunked upload, read part by part as it arrives.
        using var content = new StreamContent(new NonSeekableStream(body), 1024).WithContentType(contentType);
        content.Headers.ContentLength = null;

        using var response = await _client.PostAsync("/dicomweb/studies", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (await response.ReadDatasetAsync()).GetSequenceItems(DicomTags.ReferencedSOPSequence).Count);
        using var query = await _client.GetAsync($"/dicomweb/studies/{study}/instances");
        Assert.Equal(3, (await query.ReadDatasetsAsync()).Count);
    }

    [Fact]
    public async Task Re_sending_an_identical_instance_is_idempotent()
    {
        var (study, _, _, files) = TestInstances.Series(1);

        using var first = await _host.StowAsync(_client, "/dicomweb/studies", files);
        using var second = await _host.StowAsync(_client, "/dicomweb/studies", files);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single((await second.ReadDatasetAsync()).GetSequenceItems(DicomTags.ReferencedSOPSequence));
        using var query = await _client.GetAsync($"/dicomweb/studies/{study}/instances");
        Assert.Single(await query.ReadDatasetsAsync());
    }

    [Fact]
    public async Task A_different_object_under_an_existing_sop_instance_uid_fails_and_changes_nothing()
    {
        var study = TestInstances.NewUid();
        var series = TestInstances.NewUid();
        var sop = TestInstances.NewUid();
        var original = TestInstances.File(TestInstances.Ct(study, series, sop, patientName: "Original^Name"));
        var different = TestInstances.File(TestInstances.Ct(study, series, sop, patientName: "Different^Name", seed: 9));
        await _host.StoreAsync(_client, original);

        using var response = await _host.StowAsync(_client, "/dicomweb/studies", different);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var failed = Assert.Single((await response.ReadDatasetAsync()).GetSequenceItems(DicomTags.FailedSOPSequence));
        Assert.Equal(sop, failed.GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.True(failed.Contains(DicomTags.FailureReason));
        Assert.Contains(response.Headers.GetValues("Warning"), w => w.StartsWith("299 ", StringComparison.Ordinal));

        using var retrieve = Multipart.Get($"/dicomweb/studies/{study}/series/{series}/instances/{sop}", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        using var stored = await _client.SendAsync(retrieve);
        var part = Assert.Single(await Multipart.ReadAsync(stored));
        Assert.Equal(original, part.Body);
    }

    [Fact]
    public async Task An_unacceptable_response_type_answers_406_before_reading_the_body()
    {
        var (_, _, _, files) = TestInstances.Series(1);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dicomweb/studies") { Content = Multipart.DicomContent(files) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+xml"));

        using var response = await _client.SendAsync(request);

        await response.AssertProblemAsync(406);
    }

    [Fact]
    public async Task Staging_files_do_not_remain_after_a_request()
    {
        var (_, _, _, files) = TestInstances.Series(2);
        using var response = await _host.StowAsync(_client, "/dicomweb/studies", files[0], "junk"u8.ToArray(), files[1]);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var staging = Path.Combine(_host.DataDirectory, "staging");
        Assert.True(!Directory.Exists(staging) || Directory.GetFiles(staging).Length == 0);
    }

    /// <summary>A read-only, non-seekable stream (unknown length), read in small pieces.</summary>
    private sealed class NonSeekableStream(byte[] data) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 997), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
