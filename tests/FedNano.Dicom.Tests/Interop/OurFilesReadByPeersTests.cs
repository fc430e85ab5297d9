using FedNano.Testing;
using System.Security.Cryptography;
using System.Text;
using FedNano.Dicom;

using FedNano.Dicom.Tests.TestData;
using Xunit.Abstractions;

namespace FedNano.Dicom.Tests.Interop;

/// <summary>
/// Files we write are read by independent implementations (dcmtk, GDCM, pydicom) with the same element values:
/// strings in Latin-1 and UTF-8, numbers of every width, AT, OB, nested sequences and private blocks, in every
/// syntax we write.
/// </summary>
public sealed class OurFilesReadByPeersTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("fednano-interop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> SyntaxesAndCharsets()
    {
        var data = new TheoryData<string, string>();
        foreach (var ts in new[] { "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.5" })
            foreach (var cs in new[] { InteropSample.Latin1, InteropSample.Utf8 })
                data.Add(ts, cs);
        return data;
    }

    private string Write(DicomDataset ds, DicomTransferSyntax syntax, string name)
    {
        var path = Path.Combine(_dir, name);
        new DicomFile(ds.Clone()).Save(path, syntax);
        return path;
    }

    [Theory]
    [MemberData(nameof(SyntaxesAndCharsets))]
    public void Dcmdump_reads_our_files_without_complaint_and_with_identical_values(string uid, string charset)
    {
        var dcmdump = PeerTool.FindTool("dcmdump", "dcmtk", output);
        if (dcmdump is null) return;
        var sample = InteropSample.Create(charset);
        var path = Write(sample.Dataset, DicomTransferSyntax.Parse(uid), "ours.dcm");

        // Values byte for byte (dcmdump prints them raw), decoded here with the file's own encoding.
        var raw = PeerTool.Exec(dcmdump, ["-Un", "+L", path], ToolTimeout, sample.TextEncoding).EnsureSuccess("dcmdump");
        AssertNoComplaints("dcmdump", raw.StdErr);
        Assert.Contains($"(0002,0010) UI [{uid}]", raw.StdOut, StringComparison.Ordinal);
        PeerElements.AssertProbes("dcmdump", sample.Probes, PeerElements.ParseDump(raw.StdOut), sample.TextEncoding, rawOutput: raw.StdOut);

        // +U8: dcmtk converts from the declared Specific Character Set to UTF-8 (and says ISO_IR 192 afterwards),
        // which shows it understood (0008,0005) as we wrote it.
        var utf8 = PeerTool.Exec(dcmdump, ["-Un", "+L", "+U8", path], ToolTimeout, Encoding.UTF8).EnsureSuccess("dcmdump +U8");
        AssertNoComplaints("dcmdump +U8", utf8.StdErr);
        PeerElements.AssertProbes("dcmdump +U8", sample.Probes.Where(p => p.Tag != DicomTags.SpecificCharacterSet).ToList(),
            PeerElements.ParseDump(utf8.StdOut), sample.TextEncoding, rawOutput: utf8.StdOut);
    }

    /// <summary>
    /// No warnings or errors, except dcmtk's note that an unknown private sequence in implicit VR is read by CP-246
    /// (it cannot know the VR of a private element it has no dictionary entry for; that is not an encoding defect).
    /// </summary>
    private static void AssertNoComplaints(string tool, string stderr)
    {
        var complaints = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.Contains("CP-246", StringComparison.Ordinal)).ToList();
        Assert.True(complaints.Count == 0, $"{tool} complained:\n" + string.Join('\n', complaints));
    }

    [Theory]
    [MemberData(nameof(SyntaxesAndCharsets))]
    public void Gdcmdump_reads_our_files_with_identical_values(string uid, string charset)
    {
        var gdcmdump = PeerTool.FindTool("gdcmdump", "libgdcm-tools", output);
        if (gdcmdump is null) return;
        var sample = InteropSample.Create(charset);
        var path = Write(sample.Dataset, DicomTransferSyntax.Parse(uid), "ours.dcm");

        // gdcmdump prints raw value bytes and replaces each non-ASCII byte with '.'; read its output byte for char.
        var r = PeerTool.Exec(gdcmdump, [path], ToolTimeout, Encoding.Latin1).EnsureSuccess("gdcmdump");
        Assert.Contains($"(0002,0010) UI [{uid}", r.StdOut, StringComparison.Ordinal);
        PeerElements.AssertProbes("gdcmdump", sample.Probes, PeerElements.ParseDump(r.StdOut), sample.TextEncoding,
            PeerText.DotPerNonAsciiByte, r.StdOut);
    }

    [Theory]
    [MemberData(nameof(SyntaxesAndCharsets))]
    public void Pydicom_reads_our_files_with_identical_decoded_values(string uid, string charset)
    {
        var python = PeerTool.FindPython("pydicom", "python3-pydicom", output);
        if (python is null) return;
        var sample = InteropSample.Create(charset);
        var path = Write(sample.Dataset, DicomTransferSyntax.Parse(uid), "ours.dcm");
        var script = Path.Combine(_dir, "walk.py");
        File.WriteAllText(script, PeerElements.PydicomWalker);

        var r = PeerTool.Exec(python, [script, path], ToolTimeout, Encoding.UTF8).EnsureSuccess("pydicom walker");
        var (ts, elements) = PeerElements.ParsePydicom(r.StdOut);
        Assert.Equal(uid, ts);
        PeerElements.AssertProbes("pydicom", sample.Probes, elements, sample.TextEncoding, rawOutput: r.StdOut + r.StdErr);
    }

    private static DicomDataset MultiFrameImage()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7.3")
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, SyntheticDatasets.Uid(71001))
            .AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, SyntheticDatasets.Uid(71002))
            .AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, SyntheticDatasets.Uid(71003))
            .AddOrUpdate(DicomTags.Modality, DicomVR.CS, "OT");
        return SyntheticDatasets.AddImage(ds, rows: 24, columns: 20, seed: 9, frames: 3, bitsStored: 16);
    }

    private static byte[] NativePixels(DicomDataset ds) => ((DicomElement)ds.GetItem(DicomTags.PixelData)!).Value.GetMemory().ToArray();

    [Fact]
    public void Pydicom_decodes_our_RLE_pixel_data_to_the_original_pixels()
    {
        var python = PeerTool.FindPython("numpy", "python3-numpy", output);
        if (python is null) return;
        if (PeerTool.FindPython("pydicom", "python3-pydicom", output) is null) return;
        var ds = MultiFrameImage();
        var path = Write(ds, DicomTransferSyntax.RLELossless, "rle.dcm");
        var script = Path.Combine(_dir, "pixels.py");
        File.WriteAllText(script, """
            import sys, hashlib, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            arr = ds.pixel_array
            print(arr.shape, hashlib.sha256(arr.astype('<u2').tobytes()).hexdigest())
            """);
        var r = PeerTool.Exec(python, [script, path], ToolTimeout).EnsureSuccess("pydicom pixel_array");
        var expected = Convert.ToHexStringLower(SHA256.HashData(NativePixels(ds)));
        Assert.Equal($"(3, 24, 20) {expected}", r.StdOut.Trim());
    }

    [Fact]
    public void Dcmdrle_decompresses_our_RLE_file_to_the_original_pixels()
    {
        var dcmdrle = PeerTool.FindTool("dcmdrle", "dcmtk", output);
        if (dcmdrle is null) return;
        var ds = MultiFrameImage();
        var rle = Write(ds, DicomTransferSyntax.RLELossless, "rle.dcm");
        var native = Path.Combine(_dir, "native.dcm");
        var r = PeerTool.Exec(dcmdrle, [rle, native], ToolTimeout).EnsureSuccess("dcmdrle");
        Assert.True(r.StdErr.Trim().Length == 0, "dcmdrle complained:\n" + r.StdErr);
        var read = DicomFile.Open(native);
        Assert.False(read.TransferSyntax.IsEncapsulated);
        Assert.Equal(NativePixels(ds), NativePixels(read.Dataset));
    }

    [Fact]
    public void Gdcmconv_decompresses_our_RLE_file_to_the_original_pixels()
    {
        var gdcmconv = PeerTool.FindTool("gdcmconv", "libgdcm-tools", output);
        if (gdcmconv is null) return;
        var ds = MultiFrameImage();
        var rle = Write(ds, DicomTransferSyntax.RLELossless, "rle.dcm");
        var native = Path.Combine(_dir, "native.dcm");
        PeerTool.Exec(gdcmconv, ["--raw", rle, native], ToolTimeout).EnsureSuccess("gdcmconv --raw");
        var read = DicomFile.Open(native);
        Assert.False(read.TransferSyntax.IsEncapsulated);
        Assert.Equal(NativePixels(ds), NativePixels(read.Dataset));
    }

    public static TheoryData<string> DciodvfySyntaxes => new()
    {
        // dicom3tools reads neither deflate nor (in this build) every encapsulated syntax; RLE it does.
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.RLELossless.Uid,
    };

    [Theory]
    [MemberData(nameof(DciodvfySyntaxes))]
    public void Dciodvfy_finds_no_errors_in_a_CT_image_we_write(string uid)
    {
        var dciodvfy = PeerTool.FindTool("dciodvfy", "dicom3tools", output);
        if (dciodvfy is null) return;
        var path = Write(SyntheticDatasets.CtImage(), DicomTransferSyntax.Parse(uid), "ct.dcm");
        var r = PeerTool.Exec(dciodvfy, [path], ToolTimeout);
        var all = r.StdOut + r.StdErr;
        output.WriteLine(all);
        Assert.Contains("CTImage", all, StringComparison.Ordinal);
        var errors = all.Split('\n').Where(l => l.Contains("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, "dciodvfy reported errors:\n" + string.Join('\n', errors));
    }
}
