namespace FedNano.Reconstruction.Training;

/// <summary>Where a training run stands (reported after every step).</summary>
/// <param name="Stage">Running stage.</param>
/// <param name="Step">Steps done in this stage.</param>
/// <param name="Steps">Steps of this stage.</param>
/// <param name="Loss">Loss of the last step.</param>
/// <param name="LearningRate">Learning rate of the last step.</param>
public sealed record TrainingProgress(TrainingStage Stage, int Step, int Steps, double Loss, double LearningRate);
