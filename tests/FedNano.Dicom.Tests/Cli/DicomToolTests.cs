using FedNano.Testing;
using System.Buffers.Binary;
using System.Text.Json;
using FedNano.Dicom;

using FedNano.Dicom.Tests.TestData;

namespace FedNano.Dicom.Tests.Cli;

/// <summary>
/// The dicomtool commands on generated files: each succeeds with exit code 0 and useful output; bad input gives
/// exit code 1 and exactly one line on stderr, "dicomtool: error: …" naming the offset, never a stack trace.
/// </summary>
public sealed class DicomToolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fednano-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Save(DicomDataset ds, string name, DicomTransferSyntax? syntax = null)
    {
        var path = Path.Combine(_dir, name);
        new DicomFile(ds.Clone()).Save(path, syntax ?? DicomTransferSyntax.ExplicitVRLittleEndian);
        return path;
    }

    private static void AssertSuccess(PeerResult r)
    {
        Assert.True(r.ExitCode == 0, $"exit code {r.ExitCode}\nstdout: {r.StdOut}\nstderr: {r.StdErr}");
        Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Dump_prints_every_element_including_nested_and_non_ASCII_values()
    {
        var r = DicomToolRunner.Run("dump", Save(SyntheticDatasets.SmallImage(), "small.dcm"));
        AssertSuccess(r);
        Assert.Contains("1.2.840.10008.1.2.1", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("(0010,0010) PN", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("Müller^Jürgen", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("(0008,1155) UI", r.StdOut, StringComparison.Ordinal); // inside the sequence
        Assert.Contains("(7FE0,0010)", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_prints_DICOM_JSON_that_System_Text_Json_parses()
    {
        var r = DicomToolRunner.Run("json", Save(SyntheticDatasets.SmallImage(), "small.dcm"));
        AssertSuccess(r);
        using var doc = JsonDocument.Parse(r.StdOut);
        var root = doc.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.All(root.EnumerateObject(), p => Assert.Matches("^[0-9A-F]{8}$", p.Name));
        Assert.Equal("PN", root.GetProperty("00100010").GetProperty("vr").GetString());
        Assert.Equal("Müller^Jürgen", root.GetProperty("00100010").GetProperty("Value")[0].GetProperty("Alphabetic").GetString());
        Assert.Equal(8, root.GetProperty("00280010").GetProperty("Value")[0].GetInt32());
        var seq = root.GetProperty("00081140").GetProperty("Value");
        Assert.Equal("1.2.826.0.1.3680043.8.498.30002", seq[0].GetProperty("00081155").GetProperty("Value")[0].GetString());
        var pixel = root.GetProperty("7FE00010");
        Assert.True(pixel.TryGetProperty("BulkDataURI", out _) || pixel.TryGetProperty("InlineBinary", out _));
    }

    [Fact]
    public void Json_with_inline_binary_carries_the_pixel_bytes_as_base64()
    {
        var ds = SyntheticDatasets.SmallImage();
        var r = DicomToolRunner.Run("json", Save(ds, "small.dcm"), "--inline-binary");
        AssertSuccess(r);
        using var doc = JsonDocument.Parse(r.StdOut);
        var inline = doc.RootElement.GetProperty("7FE00010").GetProperty("InlineBinary").GetString()!;
        Assert.Equal(((DicomElement)ds.GetItem(DicomTags.PixelData)!).Value.GetMemory().ToArray(), Convert.FromBase64String(inline));
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2")]
    [InlineData("1.2.840.10008.1.2.1")]
    [InlineData("1.2.840.10008.1.2.1.99")]
    [InlineData("1.2.840.10008.1.2.5")]
    public void Convert_writes_a_file_that_reads_back_in_the_target_syntax_with_the_same_values(string uid)
    {
        var ds = SyntheticDatasets.SmallImage();
        var source = Save(ds, "in.dcm", DicomTransferSyntax.ImplicitVRLittleEndian);
        var target = Path.Combine(_dir, "out.dcm");
        var r = DicomToolRunner.Run("convert", source, target, "--transfer-syntax", uid);
        AssertSuccess(r);
        var syntax = DicomTransferSyntax.Parse(uid);
        var read = DicomFile.Open(target);
        Assert.Equal(syntax, read.TransferSyntax);
        Assert.Empty(read.Warnings);
        // The source was implicit VR, so VRs are what implicit VR can carry (private elements became UN) in every target.
        DatasetAssert.Equal(ds, read.Dataset, new EncodingExpectation(ImplicitVR: true), ignore: t => syntax.IsEncapsulated && t == DicomTags.PixelData);
        var native = DicomFile.Read(read.ToBytes(DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.Equal(((DicomElement)ds.GetItem(DicomTags.PixelData)!).Value.GetMemory().ToArray(),
            ((DicomElement)native.Dataset.GetItem(DicomTags.PixelData)!).Value.GetMemory().ToArray());
    }

    [Theory]
    [InlineData("png", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })]
    [InlineData("jpg", new byte[] { 0xFF, 0xD8, 0xFF })]
    public void Render_writes_an_image_file_of_the_requested_format(string extension, byte[] signature)
    {
        var source = Save(SyntheticDatasets.CtImage(), "ct.dcm", DicomTransferSyntax.RLELossless);
        var target = Path.Combine(_dir, "frame." + extension);
        var r = DicomToolRunner.Run("render", source, target);
        AssertSuccess(r);
        var bytes = File.ReadAllBytes(target);
        Assert.True(bytes.Length > signature.Length);
        Assert.Equal(signature, bytes[..signature.Length]);
        if (extension == "png")
        {
            // IHDR: width and height of the CT image (32 x 32).
            Assert.Equal(32u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(16)));
            Assert.Equal(32u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(20)));
        }
    }

    [Fact]
    public void Render_accepts_an_explicit_window()
    {
        var source = Save(SyntheticDatasets.CtImage(), "ct.dcm");
        var target = Path.Combine(_dir, "windowed.png");
        AssertSuccess(DicomToolRunner.Run("render", source, target, "--window", "40,400"));
        Assert.Equal(0x89, File.ReadAllBytes(target)[0]);
    }

    [Fact]
    public void Validate_accepts_a_complete_CT_image_with_exit_code_0()
    {
        var r = DicomToolRunner.Run("validate", Save(SyntheticDatasets.CtImage(), "ct.dcm"));
        AssertSuccess(r);
        Assert.Contains("valid", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_lists_errors_and_exits_1_for_a_non_conformant_file()
    {
        var ds = SyntheticDatasets.CtImage();
        ds.Remove(DicomTags.SOPInstanceUID);
        ds.AddOrUpdate(new DicomElement(DicomTags.StudyDate, DicomVR.DA, "2024-01-31"u8.ToArray()));
        var r = DicomToolRunner.Run("validate", Save(ds, "bad-ct.dcm"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("error", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("(0008,0020)", r.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.StdOut + r.StdErr, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ bad input

    private string BadFile(string kind)
    {
        var valid = new DicomFile(SyntheticDatasets.SmallImage()).ToBytes(DicomTransferSyntax.ExplicitVRLittleEndian);
        byte[] bytes;
        switch (kind)
        {
            case "truncated":
                bytes = valid[..(valid.AsSpan().IndexOf("Müller"u8) + 3)];
                break;
            case "absurd-length":
                bytes = DicomByteBuilder.Part10(DicomTransferSyntax.ExplicitVRLittleEndian.Uid)
                    .ExplicitText(DicomTags.SOPClassUID, "UI", SyntheticDatasets.SecondaryCaptureSopClass)
                    .ExplicitHeader(DicomTags.PixelData, "OB", 0xFFFFFFF0).Raw(new byte[64]).ToArray();
                break;
            default:
                bytes = "this is a text file, not DICOM\n"u8.ToArray();
                break;
        }
        var path = Path.Combine(_dir, kind + ".dcm");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static TheoryData<string, string> CommandsAndBadFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var command in new[] { "dump", "json", "convert", "render", "validate" })
            foreach (var kind in new[] { "truncated", "absurd-length" })
                data.Add(command, kind);
        data.Add("dump", "text");
        return data;
    }

    [Theory]
    [MemberData(nameof(CommandsAndBadFiles))]
    public void Bad_input_exits_1_with_one_error_line_naming_the_offset_and_no_stack_trace(string command, string kind)
    {
        var bad = BadFile(kind);
        string[] args = command switch
        {
            "convert" => ["convert", bad, Path.Combine(_dir, "out.dcm"), "-t", "1.2.840.10008.1.2.1"],
            "render" => ["render", bad, Path.Combine(_dir, "out.png")],
            _ => [command, bad],
        };
        var r = DicomToolRunner.Run(args);
        Assert.Equal(1, r.ExitCode);
        var lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line on stderr, got:\n" + r.StdErr);
        Assert.StartsWith("dicomtool: error:", lines[0], StringComparison.Ordinal);
        Assert.Contains("offset", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.StdOut + r.StdErr, StringComparison.Ordinal);
        if (command == "convert") Assert.False(File.Exists(Path.Combine(_dir, "out.dcm")));
    }

    [Theory]
    [InlineData("dump")]
    [InlineData("validate")]
    public void A_missing_file_exits_1_with_one_error_line(string command)
    {
        var r = DicomToolRunner.Run(command, Path.Combine(_dir, "does-not-exist.dcm"));
        Assert.Equal(1, r.ExitCode);
        var lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("dicomtool: error:", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Convert_to_an_unknown_transfer_syntax_exits_1_with_one_error_line()
    {
        var source = Save(SyntheticDatasets.SmallImage(), "small.dcm");
        var r = DicomToolRunner.Run("convert", source, Path.Combine(_dir, "out.dcm"), "-t", "1.2.3.4");
        Assert.Equal(1, r.ExitCode);
        var lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("dicomtool: error:", lines[0], StringComparison.Ordinal);
    }
}
