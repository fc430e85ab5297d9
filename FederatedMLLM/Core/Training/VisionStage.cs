namespace FedNano.FederatedMLLM.Training;

/// <summary>The vision encoder's supervised pre-training stage (<see cref="VisionPretrainer"/>).</summary>
/// <param name="Name">For logs and the model card.</param>
/// <param name="Steps">Optimiser steps.</param>
/// <param name="LearningRate">Peak learning rate (linear warm-up over the first 5 %, cosine decay to 5 %).</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="ShiftPixels">Largest random shift of a batch, in pixels (0 = none).</param>
/// <param name="IntensityJitter">Largest relative change of contrast and brightness (0 = none).</param>
public sealed record VisionStage(string Name, int Steps, double LearningRate, int BatchSize, int ShiftPixels = 6, double IntensityJitter = 0.1);
