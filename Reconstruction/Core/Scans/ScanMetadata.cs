namespace FedNano.Reconstruction.Scans;

/// <summary>
/// Patient, study and series identity plus acquisition values carried from a raw scan to its reconstruction.
/// UIDs are DICOM UIDs (the writer generates any that are null).
/// </summary>
/// <param name="PatientName">DICOM PN, e.g. "PHANTOM^CHEST^0007".</param>
/// <param name="PatientId">Patient ID.</param>
/// <param name="StudyInstanceUid">Study Instance UID, or null to generate.</param>
/// <param name="SeriesInstanceUid">Series Instance UID of the raw series, or null to generate.</param>
/// <param name="FrameOfReferenceUid">Frame of Reference UID shared by raw and reconstructed series, or null to generate.</param>
/// <param name="StudyDescription">Study description.</param>
/// <param name="SeriesDescription">Series description.</param>
/// <param name="KvP">Peak kilovoltage.</param>
/// <param name="TubeCurrentMa">Tube current (mA).</param>
/// <param name="ExposureTimeMs">Exposure time per rotation (ms).</param>
public sealed record ScanMetadata(
    string PatientName,
    string PatientId,
    string? StudyInstanceUid = null,
    string? SeriesInstanceUid = null,
    string? FrameOfReferenceUid = null,
    string StudyDescription = "Helical CT",
    string SeriesDescription = "Raw projection data",
    double KvP = 120,
    double TubeCurrentMa = 200,
    double ExposureTimeMs = 500);
