using FedNano.Testing;
using FedNano.Dicom;

using Xunit.Abstractions;

namespace FedNano.Dicom.Tests.Pixel;

/// <summary>
/// Cross-checks our RLE codec against DCMTK's (dcmdrle, dcmcrle): each side must decode what the other encodes
/// to identical pixels. Skipped when dcmtk is missing, unless FEDNANO_REQUIRE_PEERS=1.
/// </summary>
public sealed class RleDcmtkCrossCheckTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fednano-rle-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<int, int, int, int> Images() => new()
    {
        { 8, 1, 1, 0 },
        { 8, 1, 3, 0 },
        { 16, 1, 2, 0 },
        { 8, 3, 1, 0 },
        { 16, 3, 2, 0 },
        { 8, 3, 2, 1 },
    };

    private static DicomDataset Image(int bits, int samples, int frames, int planar, out byte[] native)
    {
        const int rows = 23, columns = 37;
        native = PixelTestData.StructuredBytes(PixelTestData.FrameLength(rows, columns, bits, samples) * frames, bits * 7 + samples);
        if (bits == 16)
        {
            // Keep 16-bit values within Bits Stored so no tool has a reason to touch them.
            for (var i = 1; i < native.Length; i += 2) native[i] &= 0x0F;
        }
        var ds = PixelTestData.Image(rows, columns, bits, native, samples: samples, frames: frames, planar: planar,
            bitsStored: bits == 16 ? 12 : 8);
        if (frames > 1) ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, bits == 8
            ? "1.2.840.10008.5.1.4.1.1.7.2" /* multi-frame grayscale byte SC */
            : PixelTestData.MultiFrameGrayscaleWordSopClass);
        if (frames > 1 && samples == 3) ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7.4");
        return ds;
    }

    /// <summary>Native pixel bytes of every frame in interleaved layout, whatever the planar configuration.</summary>
    private static byte[] Interleaved(DicomDataset ds, DicomTransferSyntax syntax)
    {
        var pd = DicomPixelData.Create(ds, syntax);
        var result = new List<byte>();
        for (var f = 0; f < pd.FrameCount; f++)
            result.AddRange(pd.SamplesPerPixel == 1
                ? pd.GetFrameBytes(f).ToArray()
                : PixelTestData.ToInterleaved(pd.GetFrameBytes(f).Span, pd.Rows * pd.Columns, pd.BitsAllocated / 8, pd.PlanarConfiguration));
        return [.. result];
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Our_RLE_file_decodes_with_dcmdrle_to_identical_pixels(int bits, int samples, int frames, int planar)
    {
        var dcmdrle = PeerTool.Find("dcmdrle", output);
        if (dcmdrle is null) return;
        var ds = Image(bits, samples, frames, planar, out var native);
        var ours = Path.Combine(_dir, "ours-rle.dcm");
        var decoded = Path.Combine(_dir, "dcmtk-native.dcm");
        new DicomFile(ds).Save(ours, DicomTransferSyntax.RLELossless);

        PeerTool.RunChecked(dcmdrle, ours, decoded);

        var file = DicomFile.Read(File.ReadAllBytes(decoded));
        Assert.False(file.TransferSyntax.IsEncapsulated);
        Assert.Equal(planar, file.Dataset.GetValue<int>(DicomTags.PlanarConfiguration));
        Assert.Equal(native, PixelTestData.NativePixelBytes(file.Dataset)[..native.Length]);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void A_dcmcrle_file_decodes_with_ours_to_identical_pixels(int bits, int samples, int frames, int planar)
    {
        var dcmcrle = PeerTool.Find("dcmcrle", output);
        if (dcmcrle is null) return;
        var ds = Image(bits, samples, frames, planar, out _);
        var expected = Interleaved(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        var native = Path.Combine(_dir, "ours-native.dcm");
        var encoded = Path.Combine(_dir, "dcmtk-rle.dcm");
        new DicomFile(ds).Save(native);

        PeerTool.RunChecked(dcmcrle, native, encoded);

        var file = DicomFile.Read(File.ReadAllBytes(encoded));
        Assert.Equal(DicomTransferSyntax.RLELossless, file.TransferSyntax);
        Assert.Equal(expected, Interleaved(file.Dataset, file.TransferSyntax));
    }

    [Fact]
    public void A_dcmcrle_file_with_an_empty_offset_table_and_split_fragments_decodes_with_ours()
    {
        var dcmcrle = PeerTool.Find("dcmcrle", output);
        if (dcmcrle is null) return;
        const int rows = 64, columns = 64, frames = 3;
        var native = PixelTestData.RandomBytes(rows * columns * 2 * frames, 99);
        var ds = PixelTestData.Image(rows, columns, 16, native, frames: frames)
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, PixelTestData.MultiFrameGrayscaleWordSopClass);
        var input = Path.Combine(_dir, "ours-native.dcm");
        var encoded = Path.Combine(_dir, "dcmtk-rle-split.dcm");
        new DicomFile(ds).Save(input);

        // 1 KiB fragments (random data does not compress, so each frame spans several) and no offset table.
        PeerTool.RunChecked(dcmcrle, "+fs", "1", "-ot", input, encoded);

        var file = DicomFile.Read(File.ReadAllBytes(encoded));
        var fragments = Assert.IsType<DicomFragmentSequence>(file.Dataset.GetItem(DicomTags.PixelData));
        Assert.Empty(fragments.OffsetTable);
        Assert.True(fragments.Fragments.Count > frames);
        Assert.Equal(native, Interleaved(file.Dataset, file.TransferSyntax));
    }
}
