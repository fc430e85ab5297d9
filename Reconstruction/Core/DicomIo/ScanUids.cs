using FedNano.Dicom;
using FedNano.Reconstruction.Scans;

namespace FedNano.Reconstruction.DicomIo;

/// <summary>The study, series and frame-of-reference UIDs of a scan.</summary>
public static class ScanUids
{
    /// <summary>
    /// <paramref name="metadata"/> with every null UID replaced by a new one (<see cref="DicomUid.Generate"/>), so
    /// that a caller can keep the UIDs a writer will use (for example, to give a reconstruction the raw series'
    /// study and frame of reference). Given UIDs are checked.
    /// </summary>
    /// <exception cref="ArgumentException">A given UID is not a valid DICOM UID.</exception>
    public static ScanMetadata Complete(ScanMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata with
        {
            StudyInstanceUid = Checked(metadata.StudyInstanceUid, "StudyInstanceUid") ?? DicomUid.Generate(),
            SeriesInstanceUid = Checked(metadata.SeriesInstanceUid, "SeriesInstanceUid") ?? DicomUid.Generate(),
            FrameOfReferenceUid = Checked(metadata.FrameOfReferenceUid, "FrameOfReferenceUid") ?? DicomUid.Generate(),
        };
    }

    /// <summary>Returns <paramref name="uid"/> (or null) after checking its syntax.</summary>
    /// <exception cref="ArgumentException">The UID is not valid.</exception>
    internal static string? Checked(string? uid, string name)
    {
        if (uid is null)
        {
            return null;
        }
        if (DicomUid.Validate(uid) is { } why)
        {
            throw new ArgumentException($"{name} '{uid}' is not a valid DICOM UID: {why}.", name);
        }
        return uid;
    }
}
