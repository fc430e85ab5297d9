using System.Globalization;
using FedNano.Dicom;
using FedNano.Reconstruction.Scans;

namespace FedNano.Reconstruction.DicomIo;

/// <summary>
/// The modules every CT instance written here shares: SOP Common, Patient, General Study, General Series, Frame of
/// Reference, General Equipment and the acquisition values of <see cref="ScanMetadata"/>. Type 2 attributes we have
/// no value for are written empty, as PS3.3 allows.
/// </summary>
internal static class IdentityModules
{
    /// <summary>Adds the shared modules to <paramref name="ds"/>. <paramref name="metadata"/> must have its UIDs completed.</summary>
    public static void Add(DicomDataset ds, ScanMetadata metadata, string seriesUid, int seriesNumber, string seriesDescription,
        string manufacturer, DateTime created)
    {
        var date = created.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var time = created.ToString("HHmmss", CultureInfo.InvariantCulture);
        // UTF-8 so that any patient name can be stored without guessing a legacy repertoire.
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        ds.AddOrUpdate(DicomTags.InstanceCreationDate, DicomVR.DA, date);
        ds.AddOrUpdate(DicomTags.InstanceCreationTime, DicomVR.TM, time);
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, DicomUids.CTImageStorage);
        ds.AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, Array.Empty<string>());
        ds.AddOrUpdate(DicomTags.SeriesDate, DicomVR.DA, date);
        ds.AddOrUpdate(DicomTags.ContentDate, DicomVR.DA, date);
        ds.AddOrUpdate(DicomTags.StudyTime, DicomVR.TM, Array.Empty<string>());
        ds.AddOrUpdate(DicomTags.SeriesTime, DicomVR.TM, time);
        ds.AddOrUpdate(DicomTags.ContentTime, DicomVR.TM, time);
        ds.AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, Array.Empty<string>());
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "CT");
        ds.AddOrUpdate(DicomTags.Manufacturer, DicomVR.LO, manufacturer);
        ds.AddOrUpdate(DicomTags.ReferringPhysicianName, DicomVR.PN, Array.Empty<string>());
        ds.AddOrUpdate(DicomTags.StudyDescription, DicomVR.LO, metadata.StudyDescription);
        ds.AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, seriesDescription);
        // Type 2C (paired body parts); a chest/abdomen/head scan has none, so it is present and empty.
        ds.AddOrUpdate(DicomTags.Laterality, DicomVR.CS, Array.Empty<string>());
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, metadata.PatientName);
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, metadata.PatientId);
        ds.AddOrUpdate(DicomTags.PatientBirthDate, DicomVR.DA, Array.Empty<string>());
        ds.AddOrUpdate(DicomTags.PatientSex, DicomVR.CS, Array.Empty<string>());
        ds.AddOrUpdate(DicomTags.KVP, DicomVR.DS, metadata.KvP);
        ds.AddOrUpdate(DicomTags.ExposureTime, DicomVR.IS, (long)Math.Round(metadata.ExposureTimeMs, MidpointRounding.AwayFromZero));
        ds.AddOrUpdate(DicomTags.XRayTubeCurrent, DicomVR.IS, (long)Math.Round(metadata.TubeCurrentMa, MidpointRounding.AwayFromZero));
        // The scanner frame is DICOM patient coordinates for a head-first supine patient.
        ds.AddOrUpdate(DicomTags.PatientPosition, DicomVR.CS, "HFS");
        // IS values above are rounded; the FD twins keep the exact values for the reader.
        ds.AddOrUpdate(DicomTags.ExposureTimeInms, DicomVR.FD, metadata.ExposureTimeMs);
        ds.AddOrUpdate(DicomTags.XRayTubeCurrentInmA, DicomVR.FD, metadata.TubeCurrentMa);
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, metadata.StudyInstanceUid!);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, seriesUid);
        ds.AddOrUpdate(DicomTags.StudyID, DicomVR.SH, Array.Empty<string>());
        ds.AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, seriesNumber);
        ds.AddOrUpdate(DicomTags.AcquisitionNumber, DicomVR.IS, 1);
        ds.AddOrUpdate(DicomTags.FrameOfReferenceUID, DicomVR.UI, metadata.FrameOfReferenceUid!);
        ds.AddOrUpdate(DicomTags.PositionReferenceIndicator, DicomVR.LO, Array.Empty<string>());
    }

    /// <summary>The identity and acquisition values of an instance written by <see cref="Add"/> (or by another CT writer).</summary>
    public static ScanMetadata Read(DicomDataset ds)
    {
        var defaults = new ScanMetadata("", "");
        return new ScanMetadata(
            ds.GetString(DicomTags.PatientName) ?? "",
            ds.GetString(DicomTags.PatientID) ?? "",
            NullIfEmpty(ds.GetString(DicomTags.StudyInstanceUID)),
            NullIfEmpty(ds.GetString(DicomTags.SeriesInstanceUID)),
            NullIfEmpty(ds.GetString(DicomTags.FrameOfReferenceUID)),
            ds.GetString(DicomTags.StudyDescription) ?? defaults.StudyDescription,
            ds.GetString(DicomTags.SeriesDescription) ?? defaults.SeriesDescription,
            Number(ds, DicomTags.KVP) ?? defaults.KvP,
            Number(ds, DicomTags.XRayTubeCurrentInmA) ?? Number(ds, DicomTags.XRayTubeCurrent) ?? defaults.TubeCurrentMa,
            Number(ds, DicomTags.ExposureTimeInms) ?? Number(ds, DicomTags.ExposureTime) ?? defaults.ExposureTimeMs);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static double? Number(DicomDataset ds, DicomTag tag) =>
        ds.TryGetValue<double>(tag, out var v) && double.IsFinite(v) ? v : null;
}
