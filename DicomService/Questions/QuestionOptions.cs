namespace FedNano.DicomService.Questions;

/// <summary>Settings of the question-answering endpoint (configuration section <c>Questions</c>).</summary>
public sealed class QuestionOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Questions";

    /// <summary>The model directory (config.json, safetensors, tokenizer, ct_input.json); relative paths are from the service's folder. Default: the shipped base model.</summary>
    public string ModelDirectory { get; set; } = Path.Combine("models", "radiology-base-small");

    /// <summary>"auto" (CUDA when available), "cpu" or "cuda".</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Longest answer in tokens (default 48).</summary>
    public int MaxNewTokens { get; set; } = 48;

    /// <summary>Longest question accepted, in characters (default 500).</summary>
    public int MaxQuestionLength { get; set; } = 500;
}
