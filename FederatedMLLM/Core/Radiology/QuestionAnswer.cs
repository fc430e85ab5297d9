namespace FedNano.FederatedMLLM.Radiology;

/// <summary>One question about an image, its reference answer and its kind.</summary>
/// <param name="Type">The kind (for per-kind accuracy).</param>
/// <param name="Question">The question text.</param>
/// <param name="Answer">The reference answer (one word for closed questions, the report for <see cref="QuestionType.Describe"/>).</param>
public sealed record QuestionAnswer(QuestionType Type, string Question, string Answer);
