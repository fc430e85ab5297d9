using FedNano.Dicom;

namespace FedNano.Reconstruction.DicomIo;

/// <summary>How <see cref="DicomCtPdWriter"/> encodes a projection series.</summary>
/// <param name="PixelLayout">Detector grid layout in the image (default: as the public DICOM-CT-PD files).</param>
/// <param name="TransferSyntax">Transfer syntax of written files (default Explicit VR Little Endian).</param>
/// <param name="Manufacturer">Manufacturer (0008,0070) of the equipment that created the instances.</param>
public sealed record DicomCtPdWriteOptions(
    ProjectionPixelLayout PixelLayout = ProjectionPixelLayout.ChannelsAsImageRows,
    DicomTransferSyntax? TransferSyntax = null,
    string Manufacturer = "FedNano")
{
    /// <summary>The defaults.</summary>
    public static DicomCtPdWriteOptions Default { get; } = new();
}
