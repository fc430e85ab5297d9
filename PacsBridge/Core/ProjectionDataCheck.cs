using FedNano.Dicom;

namespace FedNano.PacsBridge;

/// <summary>
/// Whether an instance is DICOM-CT-PD projection data: its private blocks of the detector system arrangement (7029)
/// and detector dynamics (7031) modules are reserved by their creators. Works on WADO-RS metadata, where private
/// payloads may arrive as bulk data but creators are always inline.
/// </summary>
public static class ProjectionDataCheck
{
    /// <summary>Private creator of the detector arrangement block (group 7029).</summary>
    public const string ArrangementCreator = "DetectorSystemArrangementModule";

    /// <summary>Private creator of the detector dynamics block (group 7031).</summary>
    public const string DynamicsCreator = "DetectorDynamicsModule";

    /// <summary>True when both blocks are reserved.</summary>
    public static bool IsProjectionData(DicomDataset metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return HasCreator(metadata, 0x7029, ArrangementCreator) && HasCreator(metadata, 0x7031, DynamicsCreator);
    }

    private static bool HasCreator(DicomDataset ds, ushort group, string creator)
    {
        for (ushort element = 0x10; element <= 0xFF; element++)
        {
            if (ds.GetString(new DicomTag(group, element)) is { } value && value.Trim() == creator) return true;
        }
        return false;
    }
}
