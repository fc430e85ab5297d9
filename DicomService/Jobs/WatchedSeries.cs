namespace FedNano.DicomService.Jobs;

/// <summary>What the raw-series watcher knows of one stored series.</summary>
/// <param name="SeriesInstanceUid">The series.</param>
/// <param name="StudyInstanceUid">Its study.</param>
/// <param name="IsProjection">Its instances are DICOM-CT-PD projection views.</param>
/// <param name="ExpectedViews">Images in Acquisition (0020,1002) of its views, when they carry it.</param>
/// <param name="LastInstanceAt">When its latest instance was stored (as the watcher saw it).</param>
/// <param name="Decided">Its automatic job exists (or it is not projection data).</param>
public sealed record WatchedSeries(string SeriesInstanceUid, string StudyInstanceUid, bool IsProjection, int? ExpectedViews, DateTimeOffset LastInstanceAt, bool Decided);
