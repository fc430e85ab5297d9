namespace FedNano.Reconstruction.Workflows;

/// <summary>
/// Creates a progress sink for one stage of a long operation (e.g. a console progress bar or a job record):
/// called with the stage's name and its total item count; may return null to ignore the stage.
/// </summary>
public delegate IProgress<int>? StageProgress(string stage, int total);
