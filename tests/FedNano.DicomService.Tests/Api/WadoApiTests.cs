using System.Net;
using FedNano.Dicom;
using SkiaSharp;

namespace FedNano.DicomService.Tests.Api;

/// <summary>WADO-RS over HTTP: instances, transfer syntaxes, metadata, frames, bulk data, rendered and thumbnails.</summary>
public sealed class WadoApiTests : IDisposable
{
    private const string AnySyntax = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private readonly ApiTestHost _host = new();
    private readonly HttpClient _client;

    public WadoApiTests() => _client = _host.Client();

    public void Dispose()
    {
        _client.Dispose();
        _host.Dispose();
    }

    private static string InstancePath(string study, string series, string sop) => $"/dicomweb/studies/{study}/series/{series}/instances/{sop}";

    private async Task<IReadOnlyList<Multipart.Part>> RetrieveAsync(string path, string? accept, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await _client.SendAsync(Multipart.Get(path, accept));
        Assert.True(response.StatusCode == expected, $"{path} [{accept}]: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("multipart/related", response.MediaType());
        return await Multipart.ReadAsync(response);
    }

    [Fact]
    public async Task Transfer_syntax_star_returns_the_stored_file_byte_for_byte()
    {
        var (study, series, sops, files) = TestInstances.Series(1, DicomTransferSyntax.ImplicitVRLittleEndian);
        await _host.StoreAsync(_client, files);

        var part = Assert.Single(await RetrieveAsync(InstancePath(study, series, sops[0]), AnySyntax));

        Assert.Equal(files[0], part.Body);
        var type = Multipart.ParseMediaType(part.ContentType!);
        Assert.Equal(DicomWebMediaTypes.ApplicationDicom, type.MediaType);
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian.Uid, type.GetParameter("transfer-syntax"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*/*")]
    [InlineData("multipart/related; type=application/dicom")]
    [InlineData("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1")]
    public async Task The_default_is_explicit_vr_little_endian_transcoded_from_implicit(string? accept)
    {
        var study = TestInstances.NewUid();
        var series = TestInstances.NewUid();
        var sop = TestInstances.NewUid();
        var dataset = TestInstances.Ct(study, series, sop, rows: 8, columns: 8);
        await _host.StoreAsync(_client, TestInstances.File(dataset, DicomTransferSyntax.ImplicitVRLittleEndian));

        var part = Assert.Single(await RetrieveAsync(InstancePath(study, series, sop), accept));

        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian.Uid, Multipart.ParseMediaType(part.ContentType!).GetParameter("transfer-syntax"));
        var file = DicomFile.Read(part.Body);
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, file.TransferSyntax);
        Assert.Equal(sop, file.Dataset.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal(TestInstances.Pixels(8, 8, 1, 1), ((DicomElement)file.Dataset.GetItem(DicomTags.PixelData)!).Value.GetMemory().ToArray());
        // Same content as a local conversion with the codec.
        Assert.Equal(TestInstances.File(dataset, DicomTransferSyntax.ExplicitVRLittleEndian), part.Body);
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.5")]
    [InlineData("1.2.840.10008.1.2.1.99")]
    [InlineData("1.2.840.10008.1.2")]
    public async Task Writable_syntaxes_are_transcoded_to(string uid)
    {
        var (study, series, sops, files) = TestInstances.Series(1);
        await _host.StoreAsync(_client, files);

        var part = Assert.Single(await RetrieveAsync(InstancePath(study, series, sops[0]), $"multipart/related; type=\"application/dicom\"; transfer-syntax={uid}"));

        var file = DicomFile.Read(part.Body);
        Assert.Equal(uid, file.TransferSyntax.Uid);
        var native = DicomTranscoder.Transcode(file.Dataset, file.TransferSyntax, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal(TestInstances.Pixels(16, 16, 1, 1), ((DicomElement)native.GetItem(DicomTags.PixelData)!).Value.GetMemory().ToArray());
    }

    [Theory]
    [InlineData("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50")]
    [InlineData("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.3.4")]
    [InlineData("application/dicom+json")]
    [InlineData("multipart/related; type=\"application/octet-stream\"")]
    public async Task Unproducible_representations_answer_406(string accept)
    {
        var (study, series, sops, files) = TestInstances.Series(1);
        await _host.StoreAsync(_client, files);

        using var response = await _client.SendAsync(Multipart.Get(InstancePath(study, series, sops[0]), accept));

        await response.AssertProblemAsync(406);
    }

    [Fact]
    public async Task Study_and_series_retrieval_stream_every_instance()
    {
        var (study, series, sops, files) = TestInstances.Series(3);
        await _host.StoreAsync(_client, files);

        var studyParts = await RetrieveAsync($"/dicomweb/studies/{study}", AnySyntax);
        var seriesParts = await RetrieveAsync($"/dicomweb/studies/{study}/series/{series}", null);

        Assert.Equal(files.Select(Convert.ToBase64String).Order(), studyParts.Select(p => Convert.ToBase64String(p.Body)).Order());
        Assert.Equal(sops.Order(StringComparer.Ordinal),
            seriesParts.Select(p => DicomFile.Read(p.Body).Dataset.GetString(DicomTags.SOPInstanceUID)!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Unknown_resources_answer_404_problem()
    {
        using var response = await _client.SendAsync(Multipart.Get($"/dicomweb/studies/{TestInstances.NewUid()}", AnySyntax));
        await response.AssertProblemAsync(404);
    }

    [Fact]
    public async Task Metadata_at_each_level_has_absolute_bulk_data_uris_that_resolve()
    {
        var (study, series, sops, files) = TestInstances.Series(2);
        await _host.StoreAsync(_client, files);

        foreach (var (path, count) in new[] { ($"/dicomweb/studies/{study}/metadata", 2), ($"/dicomweb/studies/{study}/series/{series}/metadata", 2), (InstancePath(study, series, sops[0]) + "/metadata", 1) })
        {
            using var response = await _client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(DicomWebMediaTypes.ApplicationDicomJson, response.MediaType());
            var json = await response.ReadJsonAsync();
            Assert.Equal(count, json.GetArrayLength());
            foreach (var instance in json.EnumerateArray())
            {
                var pixel = instance.GetProperty("7FE00010");
                Assert.False(pixel.TryGetProperty("InlineBinary", out _));
                var uri = pixel.GetProperty("BulkDataURI").GetString()!;
                Assert.StartsWith($"http://localhost/dicomweb/studies/{study}/series/{series}/instances/", uri);
            }
        }

        using var single = await _client.GetAsync(InstancePath(study, series, sops[0]) + "/metadata");
        var bulkUri = (await single.ReadJsonAsync())[0].GetProperty("7FE00010").GetProperty("BulkDataURI").GetString()!;
        var parts = await RetrieveAsync(new Uri(bulkUri).PathAndQuery, "multipart/related; type=\"application/octet-stream\"");
        Assert.Equal(TestInstances.Pixels(16, 16, 1, 1), Assert.Single(parts).Body);
    }

    [Fact]
    public async Task Metadata_answers_406_for_a_non_json_accept()
    {
        var (study, _, _, files) = TestInstances.Series(1);
        await _host.StoreAsync(_client, files);
        using var response = await _client.SendAsync(Multipart.Get($"/dicomweb/studies/{study}/metadata", "application/dicom+xml"));
        await response.AssertProblemAsync(406);
    }

    [Fact]
    public async Task Frames_are_returned_as_octet_stream_parts_with_the_transfer_syntax()
    {
        var study = TestInstances.NewUid();
        var series = TestInstances.NewUid();
        var sop = TestInstances.NewUid();
        await _host.StoreAsync(_client, TestInstances.File(TestInstances.Ct(study, series, sop, rows: 8, columns: 12, frames: 4, seed: 3)));
        var pixels = TestInstances.Pixels(8, 12, 4, 3);
        var frameLength = 8 * 12 * 2;

        foreach (var accept in new string?[] { null, "multipart/related; type=\"application/octet-stream\"", "multipart/related; type=application/octet-stream; transfer-syntax=*" })
        {
            var parts = await RetrieveAsync(InstancePath(study, series, sop) + "/frames/2,4", accept);
            Assert.Equal(2, parts.Count);
            Assert.Equal(pixels.AsSpan(frameLength, frameLength).ToArray(), parts[0].Body);
            Assert.Equal(pixels.AsSpan(3 * frameLength, frameLength).ToArray(), parts[1].Body);
            var type = Multipart.ParseMediaType(parts[0].ContentType!);
            Assert.Equal(DicomWebMediaTypes.ApplicationOctetStream, type.MediaType);
            Assert.Equal(DicomWebMediaTypes.ExplicitVRLittleEndian, type.GetParameter("transfer-syntax"));
        }
    }

    [Fact]
    public async Task Frames_of_rle_data_are_decoded_by_default_and_compressed_with_star()
    {
        var study = TestInstances.NewUid();
        var series = TestInstances.NewUid();
        var sop = TestInstances.NewUid();
        await _host.StoreAsync(_client, TestInstances.File(TestInstances.Ct(study, series, sop, rows: 8, columns: 8, frames: 2, seed: 5), DicomTransferSyntax.RLELossless));
        var pixels = TestInstances.Pixels(8, 8, 2, 5);

        var native = await RetrieveAsync(InstancePath(study, series, sop) + "/frames/2", null);
        Assert.Equal(pixels.AsSpan(128, 128).ToArray(), Assert.Single(native).Body);

        var compressed = await RetrieveAsync(InstancePath(study, series, sop) + "/frames/1", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
        var part = Assert.Single(compressed);
        Assert.Equal(DicomTransferSyntax.RLELossless.Uid, Multipart.ParseMediaType(part.ContentType!).GetParameter("transfer-syntax"));
        Assert.NotEqual(pixels.AsSpan(0, 128).ToArray(), part.Body);
    }

    [Theory]
    [InlineData("/frames/3", 404)]
    [InlineData("/frames/0", 400)]
    [InlineData("/frames/1,x", 400)]
    public async Task Bad_frame_requests_answer_problems(string suffix, int status)
    {
        var (study, series, sops, files) = TestInstances.Series(1);
        await _host.StoreAsync(_client, files);
        using var response = await _client.GetAsync(InstancePath(study, series, sops[0]) + suffix);
        await response.AssertProblemAsync(status);
    }

    [Fact]
    public async Task Frames_answer_406_for_an_unproducible_syntax()
    {
        var (study, series, sops, files) = TestInstances.Series(1);
        await _host.StoreAsync(_client, files);
        using var response = await _client.SendAsync(Multipart.Get(InstancePath(study, series, sops[0]) + "/frames/1",
            "multipart/related; type=\"application/octet-stream\"; transfer-syntax=1.2.840.10008.1.2.4.50"));
        await response.AssertProblemAsync(406);
    }

    [Fact]
    public async Task Bulk_data_of_the_pixel_data_and_missing_paths()
    {
        var (study, series, sops, files) = TestInstances.Series(1);
        await _host.StoreAsync(_client, files);
        var basePath = InstancePath(study, series, sops[0]) + "/bulkdata/";

        var part = Assert.Single(await RetrieveAsync(basePath + "7FE00010", null));
        Assert.Equal(TestInstances.Pixels(16, 16, 1, 1), part.Body);
        Assert.Equal(DicomWebMediaTypes.ApplicationOctetStream, Multipart.ParseMediaType(part.ContentType!).MediaType);

        using (var missing = await _client.GetAsync(basePath + "00091001"))
            await missing.AssertProblemAsync(404);
        using (var bad = await _client.GetAsync(basePath + "nonsense"))
            await bad.AssertProblemAsync(400);
    }

    [Theory]
    [InlineData(null, "image/png")]
    [InlineData("image/png", "image/png")]
    [InlineData("image/jpeg", "image/jpeg")]
    [InlineData("image/*", "image/png")]
    [InlineData("image/jpeg, image/png;q=0.5", "image/jpeg")]
    public async Task Rendered_images_decode_to_the_frame_size(string? accept, string mediaType)
    {
        var study = TestInstances.NewUid();
        var series = TestInstances.NewUid();
        var sop = TestInstances.NewUid();
        await _host.StoreAsync(_client, TestInstances.File(TestInstances.Ct(study, series, sop, rows: 24, columns: 40, frames: 2)));

        foreach (var suffix in new[] { "/rendered", "/frames/2/rendered", "/rendered?window=40,400,LINEAR&quality=80" })
        {
            using var response = await _client.SendAsync(Multipart.Get(InstancePath(study, series, sop) + suffix, accept));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(mediaType, response.MediaType());
            using var bitmap = SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync());
            Assert.NotNull(bitmap);
            Assert.Equal(40, bitmap.Width);
            Assert.Equal(24, bitmap.Height);
        }
    }

    [Fact]
    public async Task Viewport_scales_down_keeping_the_aspect_ratio()
    {
        var study = TestInstances.NewUid();
        var series = TestInstances.NewUid();
        var sop = TestInstances.NewUid();
        await _host.StoreAsync(_client, TestInstances.File(TestInstances.Ct(study, series, sop, rows: 32, columns: 64)));

        using var response = await _client.GetAsync(InstancePath(study, series, sop) + "/rendered?viewport=32,32");

        using var bitmap = SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((32, 16), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public async Task Thumbnails_at_every_level_fit_the_configured_size()
    {
        var study = TestInstances.NewUid();
        var series = TestInstances.NewUid();
        var sop = TestInstances.NewUid();
        await _host.StoreAsync(_client, TestInstances.File(TestInstances.Ct(study, series, sop, rows: 200, columns: 256)));

        foreach (var path in new[] { $"/dicomweb/studies/{study}/thumbnail", $"/dicomweb/studies/{study}/series/{series}/thumbnail", InstancePath(study, series, sop) + "/thumbnail" })
        {
            using var response = await _client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/png", response.MediaType());
            using var bitmap = SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal((128, 100), (bitmap.Width, bitmap.Height));
        }

        using var jpeg = await _client.SendAsync(Multipart.Get(InstancePath(study, series, sop) + "/thumbnail?viewport=64,64", "image/jpeg"));
        Assert.Equal("image/jpeg", jpeg.MediaType());
        using var small = SKBitmap.Decode(await jpeg.Content.ReadAsByteArrayAsync());
        Assert.Equal((64, 50), (small.Width, small.Height));
    }

    [Theory]
    [InlineData("?window=abc", 400)]
    [InlineData("?window=40,0", 400)]
    [InlineData("?viewport=0,10", 400)]
    [InlineData("?quality=101", 400)]
    [InlineData("/frames/9/rendered", 404)]
    [InlineData("/frames/1,2/rendered", 400)]
    public async Task Bad_rendering_parameters_answer_problems(string suffix, int status)
    {
        var (study, series, sops, files) = TestInstances.Series(1);
        await _host.StoreAsync(_client, files);
        var path = InstancePath(study, series, sops[0]) + (suffix.StartsWith('?') ? "/rendered" + suffix : suffix);
        using var response = await _client.GetAsync(path);
        await response.AssertProblemAsync(status);
    }

    [Fact]
    public async Task Rendering_answers_406_for_an_unsupported_image_type()
    {
        var (study, series, sops, files) = TestInstances.Series(1);
        await _host.StoreAsync(_client, files);
        using var response = await _client.SendAsync(Multipart.Get(InstancePath(study, series, sops[0]) + "/rendered", "image/gif"));
        await response.AssertProblemAsync(406);
    }

    [Fact]
    public void Window_parsing_accepts_the_three_functions()
    {
        Assert.Equal(new DicomWindow(40, 400), FedNano.DicomService.Endpoints.WadoEndpoints.ParseWindow("40,400"));
        Assert.Equal(new DicomWindow(-600, 1500, VoiLutFunction.Sigmoid), FedNano.DicomService.Endpoints.WadoEndpoints.ParseWindow("-600, 1500, sigmoid"));
        Assert.Equal(VoiLutFunction.LinearExact, FedNano.DicomService.Endpoints.WadoEndpoints.ParseWindow("0,1,LINEAR_EXACT")!.Function);
        Assert.Null(FedNano.DicomService.Endpoints.WadoEndpoints.ParseWindow(""));
    }
}
