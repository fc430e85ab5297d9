namespace FedNano.FederatedMLLM.Radiology;

/// <summary>
/// Scores a generated answer against the reference: closed questions by the first word (case and punctuation
/// ignored); "describe" answers by whether they mention the same finding types (nodule, emphysema, effusion, or a
/// normal study) — a finding-level F1 is too strict for free text from a small model, exact match far too strict.
/// </summary>
public static class AnswerScorer
{
    /// <summary>True when <paramref name="answer"/> agrees with <paramref name="reference"/> for a question of <paramref name="type"/>.</summary>
    public static bool IsCorrect(QuestionType type, string answer, string reference)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(reference);
        if (type != QuestionType.Describe) return FirstWord(answer) == FirstWord(reference);
        return Mentions(answer).SetEquals(Mentions(reference));
    }

    private static string FirstWord(string text) =>
        new string(text.Trim().ToLowerInvariant().TakeWhile(c => char.IsLetterOrDigit(c) || c == '-').ToArray());

    /// <summary>The finding types a report mentions.</summary>
    public static HashSet<string> Mentions(string report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = report.ToLowerInvariant();
        var kinds = new HashSet<string>();
        bool negatedNodules = text.Contains("no nodules", StringComparison.Ordinal);
        if (text.Contains("nodule", StringComparison.Ordinal) && !negatedNodules) kinds.Add("nodule");
        if (text.Contains("emphysem", StringComparison.Ordinal) && !text.Contains("no nodules, emphysema", StringComparison.Ordinal)) kinds.Add("emphysema");
        if (text.Contains("effusion", StringComparison.Ordinal) && !text.Contains("no pleural effusion", StringComparison.Ordinal) && !text.Contains("or effusion", StringComparison.Ordinal))
            kinds.Add("effusion");
        if (kinds.Count == 0) kinds.Add("normal");
        return kinds;
    }
}
