using FedNano.FederatedMLLM.Radiology;

namespace FedNano.FederatedMLLM.Training;

/// <summary>One stage of the base model's training.</summary>
/// <param name="Name">"alignment" or "instruction", for logs and the model card.</param>
/// <param name="Steps">Optimiser steps.</param>
/// <param name="LearningRate">Peak learning rate (linear warm-up over the first 5 %, cosine decay to 10 %).</param>
/// <param name="BatchSize">Samples per step.</param>
/// <param name="Types">Question kinds drawn from; null = all.</param>
/// <param name="BalanceAnswers">
/// Draw a question kind uniformly, then one of its answers uniformly (for "describe": one combination of findings),
/// then a sample with that answer — so the answer prior is flat and only the image can lower the loss. Without it,
/// a small model trained from scratch settles on each kind's most frequent answer and ignores the image.
/// </param>
/// <param name="FreezeVision">
/// Leave the vision encoder as it is (LLaVA keeps its CLIP tower frozen): only the connector and the language model
/// learn, so a pre-trained encoder is not worn down by the language model's early, noisy gradients.
/// </param>
public sealed record TrainingStage(string Name, int Steps, double LearningRate, int BatchSize, IReadOnlySet<QuestionType>? Types = null, bool BalanceAnswers = false, bool FreezeVision = false);
