using FedNano.FederatedMLLM.Radiology;

namespace FedNano.FederatedMLLM.Training;

/// <summary>One stage of the base model's training.</summary>
/// <param name="Name">"alignment" or "instruction", for logs and the model card.</param>
/// <param name="Steps">Optimiser steps.</param>
/// <param name="LearningRate">Peak learning rate (linear warm-up over the first 5 %, cosine decay to 10 %).</param>
/// <param name="BatchSize">Samples per step.</param>
/// <param name="Types">Question kinds drawn from; null = all.</param>
public sealed record TrainingStage(string Name, int Steps, double LearningRate, int BatchSize, IReadOnlySet<QuestionType>? Types = null);
