using FedNano.FederatedMLLM.Radiology;

namespace FedNano.FederatedMLLM.Training;

/// <summary>One training or evaluation example: an image of the dataset and a question about it with its answer.</summary>
/// <param name="Image">Index of the image in <see cref="QaDataset.Images"/>.</param>
/// <param name="Type">Question kind.</param>
/// <param name="Question">Question text.</param>
/// <param name="Answer">Reference answer.</param>
/// <param name="Case">The study (phantom case) the image comes from, so splits never share a patient.</param>
public sealed record QaSample(int Image, QuestionType Type, string Question, string Answer, string Case);
