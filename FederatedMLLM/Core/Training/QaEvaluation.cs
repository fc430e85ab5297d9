using FedNano.FederatedMLLM.Generation;
using FedNano.FederatedMLLM.Model;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Text;

namespace FedNano.FederatedMLLM.Training;

/// <summary>Accuracy of greedy answers per question kind, plus the rate of the most frequent reference answer (what always guessing it would score).</summary>
/// <param name="Type">Question kind.</param>
/// <param name="Count">Questions asked.</param>
/// <param name="Correct">Answered correctly.</param>
/// <param name="MajorityRate">Share of the most frequent reference answer.</param>
public sealed record QaAccuracy(QuestionType Type, int Count, int Correct, double MajorityRate)
{
    /// <summary>Correct ÷ count.</summary>
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;
}

/// <summary>Asks the model every question of a dataset and scores the answers with <see cref="AnswerScorer"/>.</summary>
public static class QaEvaluation
{
    /// <summary>Per-kind accuracy and the overall share correct; <paramref name="progress"/> gets (done, total).</summary>
    public static (IReadOnlyList<QaAccuracy> PerType, double Overall, double TokensPerSecond) Evaluate(MultimodalModel model, TextTokenizer tokenizer, QaDataset data,
        int describeMaxTokens = 48, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var correct = new Dictionary<QuestionType, int>();
        var count = new Dictionary<QuestionType, int>();
        long tokens = 0;
        double seconds = 0;
        for (int i = 0; i < data.Samples.Count; i++)
        {
            var s = data.Samples[i];
            var prompt = PromptTemplate.Encode(tokenizer, s.Question, model.ImageTokenCount);
            var options = new GenerationOptions { MaxNewTokens = s.Type == QuestionType.Describe ? describeMaxTokens : 4 };
            var answer = TextGenerator.Generate(model, tokenizer, prompt, data.Images[s.Image..(s.Image + 1)], options);
            tokens += answer.TokenIds.Count;
            seconds += answer.Seconds;
            count[s.Type] = count.GetValueOrDefault(s.Type) + 1;
            if (AnswerScorer.IsCorrect(s.Type, answer.Text, s.Answer)) correct[s.Type] = correct.GetValueOrDefault(s.Type) + 1;
            progress?.Invoke(i + 1, data.Samples.Count);
        }
        var perType = count.Keys.Order().Select(t =>
        {
            var answers = data.Samples.Where(s => s.Type == t).Select(s => t == QuestionType.Describe ? string.Join(",", AnswerScorer.Mentions(s.Answer).Order()) : s.Answer).ToList();
            double majority = answers.GroupBy(a => a).Max(g => g.Count()) / (double)answers.Count;
            return new QaAccuracy(t, count[t], correct.GetValueOrDefault(t), majority);
        }).ToList();
        double overall = perType.Sum(p => p.Correct) / (double)perType.Sum(p => p.Count);
        return (perType, overall, seconds > 0 ? tokens / seconds : 0);
    }
}
