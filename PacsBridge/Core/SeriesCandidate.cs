namespace FedNano.PacsBridge;

/// <summary>A series the discovery found in the source PACS, with what QIDO (or Orthanc) says of it.</summary>
/// <param name="StudyInstanceUid">Its study.</param>
/// <param name="SeriesInstanceUid">The series.</param>
/// <param name="Modality">Modality, when reported.</param>
/// <param name="SeriesDescription">Series Description, when reported.</param>
/// <param name="InstanceCount">Number of Series Related Instances, when reported.</param>
/// <param name="SourceAeTitle">Retrieve AE Title, when reported.</param>
/// <param name="Stable">True when the source already says the series is complete (Orthanc's StableSeries).</param>
public sealed record SeriesCandidate(string StudyInstanceUid, string SeriesInstanceUid, string? Modality, string? SeriesDescription,
    int? InstanceCount, string? SourceAeTitle, bool Stable = false);
