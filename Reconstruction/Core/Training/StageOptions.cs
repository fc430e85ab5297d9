namespace FedNano.Reconstruction.Training;

/// <summary>Optimisation settings of one training stage.</summary>
/// <param name="Steps">Optimiser steps (0 skips the stage).</param>
/// <param name="BatchSize">Slices per step.</param>
/// <param name="LearningRate">Adam's peak learning rate (after warm-up, before cosine decay).</param>
public sealed record StageOptions(int Steps, int BatchSize, double LearningRate)
{
    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate(string stage)
    {
        if (Steps is < 0 or > 10_000_000 || BatchSize is < 1 or > 1024 || !(LearningRate > 0 && LearningRate < 1))
        {
            throw new ArgumentException(
                $"Stage {stage}: steps {Steps} (0..1e7), batch {BatchSize} (1..1024) or learning rate {LearningRate} (0..1) is out of range.");
        }
    }
}
