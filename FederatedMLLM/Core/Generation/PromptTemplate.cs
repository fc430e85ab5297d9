namespace FedNano.FederatedMLLM.Generation;

/// <summary>
/// The conversation template of LLaVA-1.5: <c>USER: &lt;image&gt;\n{question} ASSISTANT:</c>, the image placeholder
/// expanded to as many placeholder tokens as the model makes image tokens. Training targets follow the
/// <c>ASSISTANT:</c> and end with the end-of-sequence token.
/// </summary>
public static class PromptTemplate
{
    /// <summary>The text that separates the question from the answer.</summary>
    public const string AnswerMarker = "ASSISTANT:";

    /// <summary>The prompt text for <paramref name="question"/> (with one <c>&lt;image&gt;</c> when there is an image).</summary>
    public static string Format(string question, bool withImage = true)
    {
        ArgumentNullException.ThrowIfNull(question);
        return withImage ? $"USER: {Text.TextTokenizer.ImagePlaceholder}\n{question.Trim()} {AnswerMarker}" : $"USER: {question.Trim()} {AnswerMarker}";
    }

    /// <summary>Token ids of the prompt with each image placeholder repeated <paramref name="imageTokens"/> times, after BOS when the tokenizer has one.</summary>
    public static List<int> Encode(Text.TextTokenizer tokenizer, string question, int imageTokens, bool withImage = true)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var ids = new List<int>();
        if (tokenizer.BosId is { } bos) ids.Add(bos);
        foreach (var id in tokenizer.Encode(Format(question, withImage)))
        {
            if (id == tokenizer.ImageTokenId) ids.AddRange(Enumerable.Repeat(id, imageTokens));
            else ids.Add(id);
        }
        return ids;
    }
}
