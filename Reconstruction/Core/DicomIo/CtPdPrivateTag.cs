using System.Globalization;
using FedNano.Dicom;

namespace FedNano.Reconstruction.DicomIo;

/// <summary>
/// A private data element of DICOM-CT-PD (Chen et al., Med. Phys. 2015) or of the FedNano sparse-detector block:
/// element byte <see cref="Element"/> of the block that <see cref="Creator"/> reserves in odd <see cref="Group"/>.
/// </summary>
/// <param name="Group">Odd group number.</param>
/// <param name="Creator">Private creator string stored at (gggg,00xx).</param>
/// <param name="Element">Low byte of the element number within the block.</param>
/// <param name="VR">Value representation written.</param>
/// <param name="Keyword">Name used in messages.</param>
internal readonly record struct CtPdPrivateTag(ushort Group, string Creator, byte Element, DicomVR VR, string Keyword)
{
    /// <summary>Creator of group 7029.</summary>
    public const string DetectorSystemArrangementModule = "DetectorSystemArrangementModule";

    /// <summary>Creator of group 7031.</summary>
    public const string DetectorDynamicsModule = "DetectorDynamicsModule";

    /// <summary>Creator of group 7033.</summary>
    public const string SourceDynamicsModule = "SourceDynamicsModule";

    /// <summary>Creator of group 7037.</summary>
    public const string ProjectionDataDefinitions = "ProjectionDataDefinitions";

    /// <summary>Creator of group 7039.</summary>
    public const string PreprocessingFlagsModule = "PreprocessingFlagsModule";

    /// <summary>Creator of group 7041.</summary>
    public const string LesionInformationModule = "LesionInformationModule";

    /// <summary>Creator of FedNano's own block: DICOM-CT-PD has no attribute for the active-row pattern.</summary>
    public const string FedNanoSparseDetector = "FEDNANO SPARSE DETECTOR 1.0";

    /// <summary>Odd group of FedNano's block, clear of the DICOM-CT-PD groups 7029–7041.</summary>
    public const ushort FedNanoGroup = 0x7051;

    public static CtPdPrivateTag DetectorElementTransverseSpacing { get; } = new(0x7029, DetectorSystemArrangementModule, 0x02, DicomVR.FL, "DetectorElementTransverseSpacing");
    public static CtPdPrivateTag DetectorElementAxialSpacing { get; } = new(0x7029, DetectorSystemArrangementModule, 0x06, DicomVR.FL, "DetectorElementAxialSpacing");
    public static CtPdPrivateTag DetectorShape { get; } = new(0x7029, DetectorSystemArrangementModule, 0x0B, DicomVR.CS, "DetectorShape");
    public static CtPdPrivateTag NumberOfDetectorRows { get; } = new(0x7029, DetectorSystemArrangementModule, 0x10, DicomVR.US, "NumberofDetectorRows");
    public static CtPdPrivateTag NumberOfDetectorColumns { get; } = new(0x7029, DetectorSystemArrangementModule, 0x11, DicomVR.US, "NumberofDetectorColumns");

    public static CtPdPrivateTag DetectorFocalCenterAngularPosition { get; } = new(0x7031, DetectorDynamicsModule, 0x01, DicomVR.FL, "DetectorFocalCenterAngularPosition");
    public static CtPdPrivateTag DetectorFocalCenterAxialPosition { get; } = new(0x7031, DetectorDynamicsModule, 0x02, DicomVR.FL, "DetectorFocalCenterAxialPosition");
    public static CtPdPrivateTag DetectorFocalCenterRadialDistance { get; } = new(0x7031, DetectorDynamicsModule, 0x03, DicomVR.FL, "DetectorFocalCenterRadialDistance");
    public static CtPdPrivateTag ConstantRadialDistance { get; } = new(0x7031, DetectorDynamicsModule, 0x31, DicomVR.FL, "ConstantRadialDistance");
    public static CtPdPrivateTag DetectorCentralElement { get; } = new(0x7031, DetectorDynamicsModule, 0x33, DicomVR.FL, "DetectorCentralElement");

    public static CtPdPrivateTag SourceAngularPositionShift { get; } = new(0x7033, SourceDynamicsModule, 0x0B, DicomVR.FL, "SourceAngularPositionShift");
    public static CtPdPrivateTag SourceAxialPositionShift { get; } = new(0x7033, SourceDynamicsModule, 0x0C, DicomVR.FL, "SourceAxialPositionShift");
    public static CtPdPrivateTag SourceRadialDistanceShift { get; } = new(0x7033, SourceDynamicsModule, 0x0D, DicomVR.FL, "SourceRadialDistanceShift");
    public static CtPdPrivateTag FlyingFocalSpotMode { get; } = new(0x7033, SourceDynamicsModule, 0x0E, DicomVR.CS, "FlyingFocalSpotMode");
    public static CtPdPrivateTag NumberOfSourceAngularSteps { get; } = new(0x7033, SourceDynamicsModule, 0x13, DicomVR.US, "NumberofSourceAngularSteps");
    public static CtPdPrivateTag NumberOfSpectra { get; } = new(0x7033, SourceDynamicsModule, 0x61, DicomVR.US, "NumberofSpectra");
    public static CtPdPrivateTag SpectrumIndex { get; } = new(0x7033, SourceDynamicsModule, 0x63, DicomVR.US, "SpectrumIndex");
    public static CtPdPrivateTag PhotonStatistics { get; } = new(0x7033, SourceDynamicsModule, 0x65, DicomVR.FL, "PhotonStatistics");

    public static CtPdPrivateTag TypeOfProjectionData { get; } = new(0x7037, ProjectionDataDefinitions, 0x09, DicomVR.CS, "TypeofProjectionData");
    public static CtPdPrivateTag TypeOfProjectionGeometry { get; } = new(0x7037, ProjectionDataDefinitions, 0x0A, DicomVR.CS, "TypeofProjectionGeometry");

    public static CtPdPrivateTag BeamHardeningCorrectionFlag { get; } = new(0x7039, PreprocessingFlagsModule, 0x03, DicomVR.CS, "BeamHardeningCorrectionFlag");
    public static CtPdPrivateTag GainCorrectionFlag { get; } = new(0x7039, PreprocessingFlagsModule, 0x04, DicomVR.CS, "GainCorrectionFlag");
    public static CtPdPrivateTag DarkFieldCorrectionFlag { get; } = new(0x7039, PreprocessingFlagsModule, 0x05, DicomVR.CS, "DarkFieldCorrectionFlag");
    public static CtPdPrivateTag FlatFieldCorrectionFlag { get; } = new(0x7039, PreprocessingFlagsModule, 0x06, DicomVR.CS, "FlatFieldCorrectionFlag");
    public static CtPdPrivateTag BadPixelCorrectionFlag { get; } = new(0x7039, PreprocessingFlagsModule, 0x07, DicomVR.CS, "BadPixelCorrectionFlag");
    public static CtPdPrivateTag ScatterCorrectionFlag { get; } = new(0x7039, PreprocessingFlagsModule, 0x08, DicomVR.CS, "ScatterCorrectionFlag");
    public static CtPdPrivateTag LogFlag { get; } = new(0x7039, PreprocessingFlagsModule, 0x09, DicomVR.CS, "LogFlag");

    public static CtPdPrivateTag WaterAttenuationCoefficient { get; } = new(0x7041, LesionInformationModule, 0x01, DicomVR.DS, "WaterAttenuationCoefficient");

    public static CtPdPrivateTag SparseRowPattern { get; } = new(FedNanoGroup, FedNanoSparseDetector, 0x01, DicomVR.LO, "SparseRowPattern");
    public static CtPdPrivateTag SeriesMuWaterPerMm { get; } = new(FedNanoGroup, FedNanoSparseDetector, 0x02, DicomVR.FD, "MuWaterPerMm");

    /// <summary>"(7029,xx10) NumberofDetectorRows [DetectorSystemArrangementModule]", for messages.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"({Group:X4},xx{Element:X2}) {Keyword} [{Creator}]");

    /// <summary>The tag in <paramref name="dataset"/>, reserving the creator's block when it has none yet.</summary>
    public DicomTag Reserve(DicomDataset dataset) =>
        dataset.GetPrivateTag(Group, Creator, Element, reserve: true)
        ?? throw new InvalidOperationException($"Could not reserve a private block for {Creator} in group {Group:X4}.");

    /// <summary>
    /// The tag in <paramref name="dataset"/>: in the block its creator reserves, or, when the group has no private
    /// creator at (gggg,0010) at all, in block 0x10 (some converters omit the creators of the well-known DICOM-CT-PD
    /// groups). Null when the creator reserves no block and another creator owns block 0x10.
    /// </summary>
    public DicomTag? Find(DicomDataset dataset)
    {
        var tag = dataset.GetPrivateTag(Group, Creator, Element);
        if (tag is not null)
        {
            return tag;
        }
        return dataset.Contains(new DicomTag(Group, 0x0010)) ? null : new DicomTag(Group, (ushort)(0x1000 | Element));
    }
}
