namespace FedNano.DicomService.Questions;

/// <summary>An answer about a study and what it was computed from.</summary>
/// <param name="Answer">The model's answer.</param>
/// <param name="StopReason">Why generation ended: eos, stop-sequence or max-tokens.</param>
/// <param name="ModelVersion">The model: its directory name and the start of its weights' SHA-256.</param>
/// <param name="AdapterVersion">The NanoAdapters applied; null for the base model.</param>
/// <param name="StudyInstanceUid">The study.</param>
/// <param name="SeriesInstanceUid">The CT image series used.</param>
/// <param name="SopInstanceUids">The slices of the stack, inferior to superior.</param>
/// <param name="CenterZMm">Table position of the stack's centre (mm).</param>
/// <param name="GeneratedTokens">Tokens generated.</param>
/// <param name="Seconds">Time spent in the model.</param>
public sealed record StudyAnswer(string Answer, string StopReason, string ModelVersion, string? AdapterVersion, string StudyInstanceUid,
    string SeriesInstanceUid, IReadOnlyList<string> SopInstanceUids, double CenterZMm, int GeneratedTokens, double Seconds);
