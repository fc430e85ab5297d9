namespace FedNano.FederatedMLLM.Training;

/// <summary>The vision encoder's supervised pre-training stage (<see cref="VisionPretrainer"/>).</summary>
/// <param name="Name">For logs and the model card.</param>
/// <param name="Steps">Optimiser steps.</param>
/// <param name="LearningRate">Peak learning rate (linear warm-up over the first 5 %, cosine decay to 5 %).</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="ShiftPixels">Largest random shift of an image, in pixels (0 = none).</param>
/// <param name="IntensityJitter">Largest relative change of contrast and brightness (0 = none).</param>
/// <param name="MirrorLabels">
/// When set, half the batches are mirrored left–right and their labels permuted by this map (label k of the mirrored
/// image is label MirrorLabels[k] of the original: right and left swap), e.g. <see cref="FindingLabels.Mirror"/>.
/// </param>
public sealed record VisionStage(string Name, int Steps, double LearningRate, int BatchSize, int ShiftPixels = 6, double IntensityJitter = 0.1, IReadOnlyList<int>? MirrorLabels = null);
