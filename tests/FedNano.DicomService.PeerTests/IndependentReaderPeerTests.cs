using FedNano.Testing;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FedNano.Dicom;
using FedNano.DicomService.PeerTests.Infrastructure;
using Xunit.Abstractions;

namespace FedNano.DicomService.PeerTests;

/// <summary>
/// Files retrieved from our server over WADO-RS (multipart parsed with our MultipartRelatedReader) are read by
/// independent DICOM implementations: dcmtk's dcmdump and pydicom.
/// </summary>
[Trait("Category", "Peers")]
public sealed class IndependentReaderPeerTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    /// <summary>
    /// A study whose instances were sent in different syntaxes (Explicit VR LE single frame, Implicit VR LE
    /// multi-frame, Deflated), retrieved from us with <paramref name="accept"/>, written to files in <paramref name="directory"/>.
    /// </summary>
    private async Task<(TestInstance Instance, string Path, DicomTransferSyntax Syntax)[]> RetrieveMixedStudyAsync(TempDirectory directory, string? accept)
    {
        var pid = Instances.UniquePatientId("READERS");
        var single = Instances.Study(1, rows: 64, columns: 48, patientId: pid);
        var multi = Instances.Study(1, rows: 32, columns: 32, frames: 4, patientId: pid, syntax: DicomTransferSyntax.ImplicitVRLittleEndian);
        var deflated = Instances.Study(1, rows: 16, columns: 16, patientId: pid, syntax: DicomTransferSyntax.DeflatedExplicitVRLittleEndian);
        var all = single.Instances.Concat(multi.Instances).Concat(deflated.Instances).ToArray();
        foreach (var s in new[] { single, multi, deflated }) await DicomWeb.StowAllAsync(Server, s);

        var result = new List<(TestInstance, string, DicomTransferSyntax)>();
        foreach (var instance in all)
        {
            var part = Assert.Single(await DicomWeb.RetrieveAsync(Server, instance.WadoPath, accept));
            Assert.Equal(DicomWebMediaTypes.ApplicationDicom, part.ContentType?.Split(';')[0].Trim());
            var path = directory.Combine(instance.Sop + ".dcm");
            await File.WriteAllBytesAsync(path, part.Body);
            result.Add((instance, path, DicomFile.Read(part.Body).TransferSyntax));
        }
        return [.. result];
    }

    [Theory]
    [InlineData(null)]
    [InlineData("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.5")]
    public async Task Instances_retrieved_from_us_pass_dcmdump_without_errors(string? accept)
    {
        if (PeerTool.FindTool("dcmdump", "dcmtk", output) is not { } dcmdump) return;
        using var temp = new TempDirectory("dcmdump");
        var files = await RetrieveMixedStudyAsync(temp, accept);

        foreach (var (instance, path, syntax) in files)
        {
            var result = PeerTool.Exec(dcmdump, [path], TimeSpan.FromSeconds(30));
            var text = result.StdOut + result.StdErr;
            var errors = text.Split('\n').Where(l => l.StartsWith("E:", StringComparison.Ordinal) || l.StartsWith("F:", StringComparison.Ordinal)).ToArray();
            Assert.True(result.ExitCode == 0 && errors.Length == 0,
                $"dcmdump {instance.Sop} ({syntax}) exited with {result.ExitCode}:\n{string.Join('\n', errors)}\n{result.StdErr}");
            Assert.Contains(instance.Sop, result.StdOut, StringComparison.Ordinal);
            Assert.Contains(accept is null ? "=LittleEndianExplicit" : "=RLELossless", result.StdOut, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.5")]
    public async Task Instances_retrieved_from_us_decode_in_pydicom_to_our_pixels(string? accept)
    {
        if (PeerTool.FindPython("pydicom", "python3-pydicom python3-numpy", output) is not { } python) return;
        using var temp = new TempDirectory("pydicom");
        var files = await RetrieveMixedStudyAsync(temp, accept);
        var script = temp.Combine("read.py");
        await File.WriteAllTextAsync(script, PydicomScript);

        var result = PeerTool.Exec(python, [script, .. files.Select(f => f.Path)], TimeSpan.FromSeconds(60)).EnsureSuccess("pydicom dcmread");

        var answers = JsonNode.Parse(result.StdOut)!.AsArray();
        Assert.Equal(files.Length, answers.Count);
        foreach (var ((instance, path, _), answer) in files.Zip(answers))
        {
            Assert.True(answer!["error"] is null, $"pydicom could not read {path}: {answer["error"]}");
            Assert.Equal(instance.Sop, answer["sop"]!.GetValue<string>());
            var shape = answer["shape"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray();
            int[] expected = instance.Frames > 1 ? [instance.Frames, instance.Rows, instance.Columns] : [instance.Rows, instance.Columns];
            Assert.Equal(expected, shape);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(instance.Pixels)), answer["sha256"]!.GetValue<string>());
        }
    }

    /// <summary>dcmread each file; print SOP, pixel_array shape and the SHA-256 of the pixels as little-endian uint16.</summary>
    private const string PydicomScript = """
        import hashlib, json, sys
        import pydicom
        out = []
        for path in sys.argv[1:]:
            try:
                ds = pydicom.dcmread(path)
                pixels = ds.pixel_array
                out.append({"sop": str(ds.SOPInstanceUID), "shape": list(pixels.shape),
                            "sha256": hashlib.sha256(pixels.astype("<u2").tobytes()).hexdigest(),
                            "syntax": str(ds.file_meta.TransferSyntaxUID)})
            except Exception as e:
                out.append({"path": path, "error": repr(e)})
        print(json.dumps(out))
        """;
}
