using FedNano.Testing;
using System.Net;
using System.Text;
using FedNano.Dicom;
using FedNano.DicomService.PeerTests.Infrastructure;

namespace FedNano.DicomService.PeerTests;

/// <summary>
/// The exact STOW-RS request shape Orthanc 1.10's DICOMweb client sends (captured from it on the wire), replayed
/// without Orthanc so that a regression shows up even where Orthanc is not installed: chunked body, Accept
/// application/dicom+json, a part Content-Length, and a boundary of two UUIDs joined by '-' (73 characters, more than
/// the 70 RFC 2046 lets a sender use, so a receiver has to be lenient).
/// </summary>
[Trait("Category", "Peers")]
public sealed class OrthancRequestShapeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_STOW_shaped_like_Orthancs_with_a_73_character_boundary_stores_the_instances()
    {
        var study = Instances.Study(2, patientId: Instances.UniquePatientId("ORTHANC-SHAPE"));
        var uuid = Guid.NewGuid().ToString();
        var boundary = uuid + "-" + uuid; // Orthanc: Toolbox::GenerateUuid() + "-" + Toolbox::GenerateUuid()
        Assert.Equal(73, boundary.Length);
        using var body = new MemoryStream();
        foreach (var file in study.Files)
        {
            body.Write(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: application/dicom\r\nContent-Length: {file.Length}\r\n\r\n"));
            body.Write(file);
            body.Write("\r\n"u8);
        }
        body.Write(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        using var content = new ChunkedContent(body.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/related; type=\"application/dicom\"; boundary={boundary}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "studies") { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", DicomWebMediaTypes.ApplicationDicomJson);

        using var response = await fixture.Server.Http.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST /dicomweb/studies with Orthanc's request shape answered {(int)response.StatusCode}: {text}");
        var found = await DicomWeb.QidoAsync(fixture.Server, $"studies/{study.Study}/instances");
        Assert.Equal(study.Sops.Order(), DicomWeb.SopsOf(found).Order());
    }

    /// <summary>A body without Content-Length, so HttpClient sends it chunked as Orthanc does.</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
