using System.Reflection;
using FedNano.DictionaryGenerator;

namespace FedNano.Dicom.Tests.Dictionary;

public class DictionaryTests
{
    private static DicomDictionaryEntry Get(ushort group, ushort element)
    {
        Assert.True(DicomDictionary.TryGet(new DicomTag(group, element), out var entry), $"({group:X4},{element:X4}) not found");
        return entry;
    }

    [Fact]
    public void PatientName_resolves_with_vr_vm_and_keyword()
    {
        var e = Get(0x0010, 0x0010);
        Assert.Equal(DicomVR.PN, e.VR);
        Assert.Equal(new[] { DicomVR.PN }, e.VRs);
        Assert.Equal("1", e.VM);
        Assert.Equal("PatientName", e.Keyword);
        Assert.False(e.IsRetired);
        Assert.Null(e.PrivateCreator);
        Assert.Equal(0xFFFFFFFFu, e.Mask);
        Assert.Equal(new DicomTag(0x0010, 0x0010), e.Tag);
        Assert.Equal(DicomTags.PatientName, e.Tag);
        Assert.Equal(DicomVR.PN, DicomDictionary.GetVR(DicomTags.PatientName));
        Assert.Equal("PatientName", DicomDictionary.GetKeyword(DicomTags.PatientName));
    }

    [Theory]
    [InlineData(0x0008, 0x0016, DicomVR.UI, "1", "SOPClassUID")]
    [InlineData(0x0008, 0x0008, DicomVR.CS, "2-n", "ImageType")]
    [InlineData(0x0020, 0x0032, DicomVR.DS, "3", "ImagePositionPatient")]
    [InlineData(0x0028, 0x0010, DicomVR.US, "1", "Rows")]
    [InlineData(0x0018, 0x0060, DicomVR.DS, "1", "KVP")]
    [InlineData(0x0018, 0x9311, DicomVR.FD, "1", "SpiralPitchFactor")]
    [InlineData(0x0008, 0x1140, DicomVR.SQ, "1", "ReferencedImageSequence")]
    [InlineData(0x0002, 0x0000, DicomVR.UL, "1", "FileMetaInformationGroupLength")]
    [InlineData(0x0002, 0x0010, DicomVR.UI, "1", "TransferSyntaxUID")]
    [InlineData(0x0000, 0x0100, DicomVR.US, "1", "CommandField")]
    [InlineData(0x0004, 0x1200, DicomVR.UL, "1", "OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity")] // dcmtk "up"
    [InlineData(0xFFFE, 0xE000, DicomVR.None, "1", "Item")] // dcmtk "na"
    public void Known_tags_resolve(int group, int element, DicomVR vr, string vm, string keyword)
    {
        var e = Get((ushort)group, (ushort)element);
        Assert.Equal(vr, e.VR);
        Assert.Equal(vm, e.VM);
        Assert.Equal(keyword, e.Keyword);
    }

    [Fact]
    public void PixelData_is_OB_or_OW_with_OW_default()
    {
        var e = Get(0x7FE0, 0x0010);
        Assert.Equal("PixelData", e.Keyword);
        Assert.Equal(new[] { DicomVR.OW, DicomVR.OB }, e.VRs);
        Assert.Equal(DicomVR.OW, e.VR);
    }

    [Fact]
    public void Pseudo_VR_xs_maps_to_US_or_SS()
    {
        var e = Get(0x0028, 0x0106);
        Assert.Equal("SmallestImagePixelValue", e.Keyword);
        Assert.Equal(new[] { DicomVR.US, DicomVR.SS }, e.VRs);
        Assert.Equal(new[] { DicomVR.US, DicomVR.OW }, Get(0x0028, 0x3006).VRs); // LUTData, dcmtk "lt"
    }

    [Fact]
    public void Overlay_data_in_group_6002_resolves_through_the_60xx_range()
    {
        var e = Get(0x6002, 0x3000);
        Assert.Equal("OverlayData", e.Keyword);
        Assert.Equal(DicomVR.OW, e.VR);
        Assert.Contains(DicomVR.OB, e.VRs);
        Assert.True(e.IsRange);
        Assert.Equal(0xFF00FFFFu, e.Mask);
        Assert.Equal(new DicomTag(0x6000, 0x3000), e.Tag);
        Assert.True(e.Matches(new DicomTag(0x601E, 0x3000)));

        Assert.Equal("OverlayRows", Get(0x6010, 0x0010).Keyword);
        Assert.Equal("CurveData", Get(0x5004, 0x3000).Keyword);
        var sourceImageIds = Get(0x0020, 0x3105);
        Assert.Equal("SourceImageIDs", sourceImageIds.Keyword);
        Assert.True(sourceImageIds.IsRetired);
        Assert.Equal(0xFFFFFF00u, sourceImageIds.Mask);

        // Odd groups are private: the 60xx range must not claim (6001,3000).
        Assert.False(DicomDictionary.TryGet(new DicomTag(0x6001, 0x3000), out _));
        Assert.Equal(DicomVR.UN, DicomDictionary.GetVR(new DicomTag(0x6001, 0x3000)));
    }

    [Fact]
    public void Private_creator_element_is_LO()
    {
        var e = Get(0x0019, 0x0010);
        Assert.Equal(DicomVR.LO, e.VR);
        Assert.Equal("PrivateCreator", e.Keyword);
        Assert.Same(DicomDictionary.PrivateCreatorEntry, e);
        Assert.Same(DicomDictionary.PrivateCreatorEntry, Get(0x7029, 0x00FF));
    }

    [Fact]
    public void Unknown_private_data_element_is_UN()
    {
        Assert.False(DicomDictionary.TryGet(new DicomTag(0x0019, 0x1001), out _));
        Assert.Equal(DicomVR.UN, DicomDictionary.GetVR(new DicomTag(0x0019, 0x1001)));
        Assert.Equal("", DicomDictionary.GetKeyword(new DicomTag(0x0019, 0x1001)));
        Assert.Equal(DicomVR.UN, DicomDictionary.GetVR(new DicomTag(0x0008, 0xFFF1)));
    }

    [Fact]
    public void Group_length_is_UL()
    {
        var e = Get(0x0011, 0x0000);
        Assert.Equal(DicomVR.UL, e.VR);
        Assert.Equal("GroupLength", e.Keyword);
        Assert.Same(DicomDictionary.GroupLengthEntry, e);
        Assert.Equal(DicomVR.UL, DicomDictionary.GetVR(new DicomTag(0x0008, 0x0000)));
        // Groups with their own group length entry keep it.
        Assert.Equal("CommandGroupLength", Get(0x0000, 0x0000).Keyword);
    }

    [Fact]
    public void Keyword_lookup_is_case_sensitive()
    {
        Assert.True(DicomDictionary.TryGet("PatientID", out var e));
        Assert.Equal(new DicomTag(0x0010, 0x0020), e.Tag);
        Assert.Equal(DicomVR.LO, e.VR);
        Assert.False(DicomDictionary.TryGet("patientid", out _));
        Assert.False(DicomDictionary.TryGet("NoSuchKeyword", out _));
        Assert.True(DicomDictionary.TryGet("OverlayData", out var overlay));
        Assert.True(overlay.IsRange);
        Assert.True(DicomDictionary.TryGet("PixelData", out var pixel));
        Assert.Equal(DicomTag.Parse("7FE00010"), pixel.Tag);
    }

    [Fact]
    public void Retired_attributes_are_flagged()
    {
        Assert.True(Get(0x0008, 0x0001).IsRetired); // Length to End
        Assert.Equal("LengthToEnd", Get(0x0008, 0x0001).Keyword);
        Assert.True(Get(0x0028, 0x0005).IsRetired); // Image Dimensions
        Assert.False(Get(0x0028, 0x0100).IsRetired); // Bits Allocated
        Assert.True(DicomDictionary.TryGet("DataSetType", out var e) && e.IsRetired);
    }

    [Fact]
    public void Entries_cover_the_table_and_every_DicomTags_member_resolves()
    {
        Assert.True(DicomDictionary.Entries.Count > 4500);
        var members = typeof(DicomTags).GetProperties(BindingFlags.Public | BindingFlags.Static);
        Assert.True(members.Length > 4400);
        foreach (var f in members)
        {
            var tag = (DicomTag)f.GetValue(null)!;
            Assert.True(DicomDictionary.TryGet(tag, out var e), f.Name);
            Assert.Equal(f.Name, e.Keyword);
        }
        Assert.Equal(DicomDictionary.Entries.Count, DicomDictionary.Entries.Select(e => e.Keyword).Distinct().Count());
    }

    [Fact]
    public void DicomCtPd_private_tags_resolve_by_creator()
    {
        Assert.True(DicomDictionary.TryGetPrivate("DetectorDynamicsModule", new DicomTag(0x7031, 0x1033), out var e));
        Assert.Equal("DetectorCentralElement", e.Keyword);
        Assert.Equal(DicomVR.FL, e.VR);
        Assert.Equal("2", e.VM);
        Assert.Equal("DetectorDynamicsModule", e.PrivateCreator);
        Assert.Equal(0xFFFF00FFu, e.Mask);

        // Any private block: the creator at (7029,0011) reserves (7029,11xx).
        Assert.True(DicomDictionary.TryGetPrivate("DetectorSystemArrangementModule ", new DicomTag(0x7029, 0x1110), out var rows));
        Assert.Equal("NumberofDetectorRows", rows.Keyword);
        Assert.Equal(DicomVR.US, rows.VR);

        Assert.True(DicomDictionary.TryGetPrivate("SourceDynamicsModule", new DicomTag(0x7033, 0x1065), out var photons));
        Assert.Equal("1-n", photons.VM);
        Assert.True(DicomDictionary.TryGetPrivate("PreprocessingFlagsModule", new DicomTag(0x7039, 0x1009), out var log));
        Assert.Equal("LogFlag", log.Keyword);
        Assert.True(DicomDictionary.TryGetPrivate("LesionInformationModule", new DicomTag(0x7041, 0x1001), out var water));
        Assert.Equal(DicomVR.DS, water.VR);

        Assert.False(DicomDictionary.TryGetPrivate("SomeOtherCreator", new DicomTag(0x7031, 0x1033), out _));
        Assert.False(DicomDictionary.TryGetPrivate("DetectorDynamicsModule", new DicomTag(0x7033, 0x1033), out _));
        Assert.False(DicomDictionary.TryGetPrivate("DetectorDynamicsModule", new DicomTag(0x7031, 0x0010), out _));
        Assert.Equal(28, DicomDictionary.PrivateEntries.Count);
    }

    [Theory]
    [InlineData(DicomUids.CTImageStorage, "1.2.840.10008.5.1.4.1.1.2", "CT Image Storage", DicomUidType.SopClass, false)]
    [InlineData(DicomUids.EnhancedCTImageStorage, "1.2.840.10008.5.1.4.1.1.2.1", "Enhanced CT Image Storage", DicomUidType.SopClass, false)]
    [InlineData(DicomUids.SecondaryCaptureImageStorage, "1.2.840.10008.5.1.4.1.1.7", "Secondary Capture Image Storage", DicomUidType.SopClass, false)]
    [InlineData(DicomUids.RawDataStorage, "1.2.840.10008.5.1.4.1.1.66", "Raw Data Storage", DicomUidType.SopClass, false)]
    [InlineData(DicomUids.MRImageStorage, "1.2.840.10008.5.1.4.1.1.4", "MR Image Storage", DicomUidType.SopClass, false)]
    [InlineData(DicomUids.SegmentationStorage, "1.2.840.10008.5.1.4.1.1.66.4", "Segmentation Storage", DicomUidType.SopClass, false)]
    [InlineData(DicomUids.EncapsulatedPDFStorage, "1.2.840.10008.5.1.4.1.1.104.1", "Encapsulated PDF Storage", DicomUidType.SopClass, false)]
    [InlineData(DicomUids.Verification, "1.2.840.10008.1.1", "Verification SOP Class", DicomUidType.SopClass, false)]
    [InlineData(DicomUids.ModalityWorklistInformationModelFind, "1.2.840.10008.5.1.4.31", "Modality Worklist Information Model - FIND", DicomUidType.SopClass, false)]
    [InlineData(DicomUids.ImplicitVRLittleEndian, "1.2.840.10008.1.2", "Implicit VR Little Endian", DicomUidType.TransferSyntax, false)]
    [InlineData(DicomUids.ExplicitVRLittleEndian, "1.2.840.10008.1.2.1", "Explicit VR Little Endian", DicomUidType.TransferSyntax, false)]
    [InlineData(DicomUids.DeflatedExplicitVRLittleEndian, "1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", DicomUidType.TransferSyntax, false)]
    [InlineData(DicomUids.ExplicitVRBigEndian, "1.2.840.10008.1.2.2", "Explicit VR Big Endian", DicomUidType.TransferSyntax, true)]
    [InlineData(DicomUids.RLELossless, "1.2.840.10008.1.2.5", "RLE Lossless", DicomUidType.TransferSyntax, false)]
    [InlineData(DicomUids.JPEGBaseline8Bit, "1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", DicomUidType.TransferSyntax, false)]
    [InlineData(DicomUids.HTJ2KLossless, "1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)", DicomUidType.TransferSyntax, false)]
    [InlineData(DicomUids.DICOMApplicationContext, "1.2.840.10008.3.1.1.1", "DICOM Application Context Name", DicomUidType.ApplicationContextName, false)]
    [InlineData(DicomUids.StorageCommitmentPushModelInstance, "1.2.840.10008.1.20.1.1", "Storage Commitment Push Model SOP Instance", DicomUidType.WellKnownSopInstance, false)]
    public void Uid_registry_resolves(string constant, string uid, string name, DicomUidType type, bool retired)
    {
        Assert.Equal(uid, constant);
        Assert.True(DicomUidRegistry.TryGet(uid, out var info));
        Assert.Equal(uid, info.Uid);
        Assert.Equal(name, info.Name);
        Assert.Equal(type, info.Type);
        Assert.Equal(retired, info.IsRetired);
        Assert.True(DicomUidRegistry.TryGetByKeyword(info.Keyword, out var byKeyword));
        Assert.Same(info, byKeyword);
    }

    [Fact]
    public void Uid_registry_ignores_padding_and_rejects_unknown_uids()
    {
        Assert.True(DicomUidRegistry.TryGet("1.2.840.10008.5.1.4.1.1.2\0", out var ct));
        Assert.Equal("CTImageStorage", ct.Keyword);
        Assert.False(DicomUidRegistry.TryGet("1.2.3.4", out _));
        Assert.True(DicomUidRegistry.IsTransferSyntax(DicomUids.JPEG2000Lossless));
        Assert.False(DicomUidRegistry.IsTransferSyntax(DicomUids.CTImageStorage));
        Assert.Equal("1.2.3.4", DicomUidRegistry.GetName("1.2.3.4"));
        Assert.True(DicomUidRegistry.Entries.Count > 400);
        var constants = typeof(DicomUids).GetFields(BindingFlags.Public | BindingFlags.Static);
        Assert.Equal(DicomUidRegistry.Entries.Count, constants.Length);
        foreach (var f in constants)
        {
            Assert.True(DicomUidRegistry.TryGet((string)f.GetRawConstantValue()!, out var info), f.Name);
            Assert.Equal(f.Name, info.Keyword);
        }
    }

    private static string RepositoryRoot() =>
        CodeGenerator.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? CodeGenerator.FindRepositoryRoot(Directory.GetCurrentDirectory())
        ?? throw new InvalidOperationException("repository root (with " + CodeGenerator.SourceDirectory + ") not found");

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    [Fact]
    public void Checked_in_generated_files_match_the_generator_output()
    {
        var root = RepositoryRoot();
        var files = CodeGenerator.Generate(Path.Combine(root, CodeGenerator.SourceDirectory));
        Assert.Equal(4, files.Count);
        foreach (var file in files)
        {
            var path = Path.Combine(root, CodeGenerator.OutputDirectory, file.FileName);
            Assert.True(File.Exists(path), $"{path} missing: run dotnet run --project DicomService/DictionaryGenerator");
            Assert.True(Normalize(File.ReadAllText(path)) == file.Content,
                $"{file.FileName} is stale: run dotnet run --project DicomService/DictionaryGenerator");
        }
    }

    [Fact]
    public void Tags_tsv_matches_the_installed_dcmtk_dictionary_when_it_is_the_same_edition()
    {
        const string dic = "/usr/share/libdcmtk17/dicom.dic";
        if (!File.Exists(dic)) return; // dcmtk not installed: nothing to compare against
        var root = RepositoryRoot();
        var tsv = Normalize(File.ReadAllText(Path.Combine(root, CodeGenerator.SourceDirectory, "tags.tsv")));
        var converted = DcmtkConverter.Convert(File.ReadAllText(dic));
        static string SourceLine(string text) => text.Split('\n').First(l => l.StartsWith("# Source:", StringComparison.Ordinal));
        if (SourceLine(tsv) != SourceLine(converted)) return; // another dcmtk edition: regenerate deliberately, not in a test
        Assert.True(tsv == converted, "tags.tsv differs from --from-dcmtk output of " + dic);
    }

    [Fact]
    public void Dcmtk_converter_maps_pseudo_VRs_and_ranges()
    {
        const string dic = "# Generated automatically from DICOM PS 3.6-2099a\n" +
            "(0004,1400)\tup\tOffsetOfTheNextDirectoryRecord\t1\tDICOM\n" +
            "(6000-60FF,3000)\tox\tOverlayData\t1\tDICOM\n" +
            "(0028,1200)\tlt\tRETIRED_GrayLookupTableData\t1-n\tDICOM/retired\n" +
            "(0009-o-FFFF,0000)\tUL\tPrivateGroupLength\t1\tPRIVATE\n";
        var rows = SourceTables.ReadTags(DcmtkConverter.Convert(dic));
        Assert.Equal(3, rows.Count);
        Assert.Equal(("0004,1400", "UL", false), (rows[0].Pattern, rows[0].VRs, rows[0].Retired));
        Assert.Equal(("0028,1200", "US/SS/OW", "GrayLookupTableData", true), (rows[1].Pattern, rows[1].VRs, rows[1].Keyword, rows[1].Retired));
        Assert.Equal(("60xx,3000", "OW/OB", 0xFF00FFFFu, 0x60003000u), (rows[2].Pattern, rows[2].VRs, rows[2].Mask, rows[2].Tag));
    }

    [Fact]
    public void Lookups_are_fast()
    {
        var tag = DicomTags.PatientName;
        var overlay = new DicomTag(0x6002, 0x3000);
        DicomDictionary.TryGet(tag, out _);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 1_000_000; i++) // ~10 ns each in Release; the bound only catches linear scans
        {
            DicomDictionary.TryGet(tag, out _);
            DicomDictionary.TryGet(overlay, out _);
        }
        sw.Stop();
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"2M lookups took {sw.Elapsed}");
    }
}
