using FedNano.Testing;
using System.Text;
using FedNano.Dicom;

using FedNano.Dicom.Tests.TestData;
using Xunit.Abstractions;

namespace FedNano.Dicom.Tests.Interop;

/// <summary>
/// Files written by dcmtk (dump2dcm, dcmconv in every syntax, dcmcrle) and by pydicom (several syntaxes, a Japanese
/// ISO 2022 IR 87 name) are read by us with the values they were given.
/// </summary>
public sealed class PeerFilesReadByUsTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("fednano-peerfiles-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>dump2dcm turns our text dump of the interop sample into a file; null when dcmtk is missing.</summary>
    private string? Dump2dcm(InteropSample sample, bool undefinedLengths)
    {
        var dump2dcm = PeerTool.FindTool("dump2dcm", "dcmtk", output);
        if (dump2dcm is null) return null;
        var dumpPath = Path.Combine(_dir, "sample.dump");
        File.WriteAllBytes(dumpPath, DcmtkDumpText.Render(sample.Dataset));
        var path = Path.Combine(_dir, undefinedLengths ? "dump2dcm-ul.dcm" : "dump2dcm.dcm");
        var args = new List<string> { "+te" };
        if (undefinedLengths) args.Add("-e");
        args.AddRange([dumpPath, path]);
        var r = PeerTool.Exec(dump2dcm, args, ToolTimeout).EnsureSuccess("dump2dcm");
        Assert.True(r.StdErr.Trim().Length == 0, "dump2dcm complained:\n" + r.StdErr);
        return path;
    }

    private static void AssertSample(string reader, string path, InteropSample sample, DicomTransferSyntax expectedSyntax)
    {
        var file = DicomFile.Open(path);
        Assert.Equal(expectedSyntax, file.TransferSyntax);
        Assert.Empty(file.Warnings);
        PeerElements.AssertProbes(reader, sample.Probes, PeerElements.FromDataset(file.Dataset), sample.TextEncoding);
        Assert.Equal(((DicomElement)sample.Dataset.GetItem(DicomTags.PixelData)!).Value.GetMemory().ToArray(),
            ((DicomElement)file.Dataset.GetItem(DicomTags.PixelData)!).Value.GetMemory().ToArray());
    }

    [Theory]
    [InlineData(InteropSample.Latin1, false)]
    [InlineData(InteropSample.Utf8, false)]
    [InlineData(InteropSample.Utf8, true)]
    public void A_file_dump2dcm_makes_from_a_text_dump_with_nested_sequences_reads_back_identically(string charset, bool undefinedLengths)
    {
        var sample = InteropSample.Create(charset);
        var path = Dump2dcm(sample, undefinedLengths);
        if (path is null) return;
        AssertSample("FedNano reading dump2dcm output", path, sample, DicomTransferSyntax.ExplicitVRLittleEndian);
    }

    [Theory]
    [InlineData("+ti", "1.2.840.10008.1.2", true)]
    [InlineData("+te", "1.2.840.10008.1.2.1", false)]
    [InlineData("+te", "1.2.840.10008.1.2.1", true)]
    [InlineData("+tb", "1.2.840.10008.1.2.2", false)]
    [InlineData("+tb", "1.2.840.10008.1.2.2", true)]
    [InlineData("+td", "1.2.840.10008.1.2.1.99", false)]
    public void Files_dcmconv_writes_in_each_syntax_read_back_identically(string option, string uid, bool undefinedLengths)
    {
        var sample = InteropSample.Create(InteropSample.Utf8);
        var path = Dcmconv(sample, option, undefinedLengths);
        if (path is null) return;
        AssertSample($"FedNano reading dcmconv {option} output", path, sample, DicomTransferSyntax.Parse(uid));
    }

    [Fact]
    public void A_defined_length_private_sequence_in_implicit_VR_reads_as_UN_bytes_like_every_other_reader()
    {
        // Nothing in implicit VR says an unknown private element is a sequence when its length is defined: dcmtk,
        // GDCM and pydicom all show such a value as UN bytes, and so do we; every other value still matches.
        var sample = InteropSample.Create(InteropSample.Utf8);
        var path = Dcmconv(sample, "+ti", undefinedLengths: false);
        if (path is null) return;
        var privateSequence = SyntheticDatasets.Private(0x0029, 0x10, 0x03);
        var file = DicomFile.Open(path);
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian, file.TransferSyntax);
        var un = Assert.IsType<DicomElement>(file.Dataset.GetItem(privateSequence));
        Assert.Equal(DicomVR.UN, un.VR);
        Assert.Equal(new byte[] { 0xFE, 0xFF, 0x00, 0xE0 }, un.Value.GetMemory()[..4].ToArray());
        var probes = sample.Probes.Where(p => p.Tag != privateSequence && p.Tag.Group != 0x0031).ToList();
        PeerElements.AssertProbes("FedNano reading dcmconv +ti output", probes, PeerElements.FromDataset(file.Dataset), sample.TextEncoding);
    }

    private string? Dcmconv(InteropSample sample, string option, bool undefinedLengths)
    {
        var source = Dump2dcm(sample, undefinedLengths: false);
        var dcmconv = PeerTool.FindTool("dcmconv", "dcmtk", output);
        if (source is null || dcmconv is null) return null;
        var path = Path.Combine(_dir, "dcmconv.dcm");
        var r = PeerTool.Exec(dcmconv, [option, undefinedLengths ? "-e" : "+e", source, path], ToolTimeout).EnsureSuccess("dcmconv " + option);
        Assert.True(r.StdErr.Trim().Length == 0, "dcmconv complained:\n" + r.StdErr);
        return path;
    }

    [Fact]
    public void A_file_dcmcrle_compresses_decodes_to_the_original_pixels()
    {
        var dcmcrle = PeerTool.FindTool("dcmcrle", "dcmtk", output);
        if (dcmcrle is null) return;
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7.3")
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, SyntheticDatasets.Uid(72001));
        SyntheticDatasets.AddImage(ds, rows: 30, columns: 17, seed: 4, frames: 2);
        var native = Path.Combine(_dir, "native.dcm");
        new DicomFile(ds.Clone()).Save(native, DicomTransferSyntax.ExplicitVRLittleEndian);
        var rle = Path.Combine(_dir, "dcmtk-rle.dcm");
        PeerTool.Exec(dcmcrle, [native, rle], ToolTimeout).EnsureSuccess("dcmcrle");

        var read = DicomFile.Open(rle);
        Assert.Equal(DicomTransferSyntax.RLELossless, read.TransferSyntax);
        var fragments = Assert.IsType<DicomFragmentSequence>(read.Dataset.GetItem(DicomTags.PixelData));
        Assert.Equal(2, fragments.Fragments.Count);
        var decoded = DicomFile.Read(read.ToBytes(DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.Equal(((DicomElement)ds.GetItem(DicomTags.PixelData)!).Value.GetMemory().ToArray(),
            ((DicomElement)decoded.Dataset.GetItem(DicomTags.PixelData)!).Value.GetMemory().ToArray());
    }

    /// <summary>pydicom writes a dataset with an ISO 2022 IR 87 (Japanese) name in the syntax given as argv[2].</summary>
    private const string PydicomWriter = """
        import sys
        import pydicom
        from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
        from pydicom.sequence import Sequence
        from pydicom.uid import ImplicitVRLittleEndian, ExplicitVRBigEndian, PYDICOM_IMPLEMENTATION_UID

        path, ts = sys.argv[1], sys.argv[2]
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
        meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.777"
        meta.TransferSyntaxUID = ts
        meta.ImplementationClassUID = PYDICOM_IMPLEMENTATION_UID
        ds = FileDataset(path, {}, file_meta=meta, preamble=b"\0" * 128)
        ds.is_little_endian = ts != ExplicitVRBigEndian
        ds.is_implicit_VR = ts == ImplicitVRLittleEndian
        ds.SpecificCharacterSet = ["", "ISO 2022 IR 87"]
        ds.ImageType = ["ORIGINAL", "PRIMARY"]
        ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
        ds.SOPInstanceUID = "1.2.826.0.1.3680043.8.498.777"
        ds.StudyDate = "20240131"
        ds.PatientName = "Yamada^Tarou=山田^太郎=やまだ^たろう"
        ds.PatientID = "PYD-1"
        ds.StudyDescription = "胸部 CT"
        ds.PatientSize = "1.75"
        ds.TimeRange = [1.5, -2.25]
        ds.ReferencePixelX0 = -12345
        ds.InstanceNumber = 7
        ds.DimensionIndexPointer = 0x00200032
        ds.BadPixelImage = b"\x01\x02\x03\x04"
        code = Dataset()
        code.CodeValue = "121320"
        code.CodingSchemeDesignator = "DCM"
        code.CodeMeaning = "Uncompressed predecessor"
        ref = Dataset()
        ref.ReferencedSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
        ref.ReferencedSOPInstanceUID = "1.2.826.0.1.3680043.8.498.778"
        ref.PurposeOfReferenceCodeSequence = Sequence([code])
        ds.ReferencedImageSequence = Sequence([ref, Dataset()])
        block = ds.private_block(0x0029, "PYDICOM TEST", create=True)
        block.add_new(0x01, "LO", "pydicom private")
        block.add_new(0x02, "US", [513, 7])
        ds.Rows = 2
        ds.Columns = 2
        ds.save_as(path, write_like_original=False)
        """;

    [Theory]
    [InlineData("1.2.840.10008.1.2")]
    [InlineData("1.2.840.10008.1.2.1")]
    [InlineData("1.2.840.10008.1.2.2")]
    [InlineData("1.2.840.10008.1.2.1.99")]
    public void Files_pydicom_writes_read_back_with_their_values_including_a_Japanese_name(string uid)
    {
        var python = PeerTool.FindPython("pydicom", "python3-pydicom", output);
        if (python is null) return;
        var script = Path.Combine(_dir, "write.py");
        File.WriteAllText(script, PydicomWriter);
        var path = Path.Combine(_dir, "pydicom.dcm");
        PeerTool.Exec(python, [script, path, uid], ToolTimeout, Encoding.UTF8).EnsureSuccess("pydicom writer");

        var file = DicomFile.Open(path);
        Assert.Equal(uid, file.TransferSyntax.Uid);
        Assert.Empty(file.Warnings);
        var ds = file.Dataset;
        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", ds.GetString(DicomTags.PatientName));
        Assert.Equal("胸部 CT", ds.GetString(DicomTags.StudyDescription));
        Assert.Equal("PYD-1", ds.GetString(DicomTags.PatientID));
        Assert.Equal(["ORIGINAL", "PRIMARY"], ds.GetStrings(DicomTags.ImageType));
        Assert.Equal(1.75, ds.GetValue<double>(DicomTags.PatientSize));
        Assert.Equal([1.5, -2.25], ds.GetValues<double>(DicomTags.TimeRange));
        Assert.Equal(-12345, ds.GetValue<int>(DicomTags.ReferencePixelX0));
        Assert.Equal(7, ds.GetValue<int>(DicomTags.InstanceNumber));
        Assert.Equal([DicomTags.ImagePositionPatient], ds.GetTags(DicomTags.DimensionIndexPointer));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, ((DicomElement)ds.GetItem(DicomTags.BadPixelImage)!).Value.GetMemory().ToArray());
        Assert.Equal((ushort)2, ds.GetValue<ushort>(DicomTags.Rows));

        var refs = ds.GetSequenceItems(DicomTags.ReferencedImageSequence);
        Assert.Equal(2, refs.Count);
        Assert.Equal(0, refs[1].Count);
        Assert.Equal("1.2.826.0.1.3680043.8.498.778", refs[0].GetString(DicomTags.ReferencedSOPInstanceUID));
        var code = Assert.Single(refs[0].GetSequenceItems(DicomTags.PurposeOfReferenceCodeSequence));
        Assert.Equal("Uncompressed predecessor", code.GetString(DicomTags.CodeMeaning));

        var creator = ds.GetPrivateTag(0x0029, "PYDICOM TEST", 0x01);
        Assert.NotNull(creator);
        var privateLo = (DicomElement)ds.GetItem(creator.Value)!;
        Assert.Equal("pydicom private", Encoding.ASCII.GetString(privateLo.Value.GetMemory().Span).TrimEnd(' '));
        var privateUs = (DicomElement)ds.GetItem(ds.GetPrivateTag(0x0029, "PYDICOM TEST", 0x02)!.Value)!;
        Assert.Equal(uid == "1.2.840.10008.1.2" ? DicomVR.UN : DicomVR.US, privateUs.VR);
        Assert.Equal(DicomByteBuilder.U16s(false, 513, 7), privateUs.Value.GetMemory().ToArray());
    }
}
