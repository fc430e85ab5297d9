namespace FedNano.FederatedMLLM.Radiology;

/// <summary>
/// Question–answer pairs about <see cref="SliceFindings"/>: closed questions (yes/no, count, side, size bucket) whose
/// answers are one word, and the open "describe the findings" whose answer is the report. Several phrasings per
/// kind, chosen by a seeded generator.
/// </summary>
public static class QuestionWriter
{
    private static readonly Dictionary<QuestionType, string[]> Phrasings = new()
    {
        [QuestionType.NodulePresence] = ["Is there a pulmonary nodule?", "Are any lung nodules visible?", "Does this image show a nodule?"],
        [QuestionType.NoduleCount] = ["How many nodules are there?", "How many pulmonary nodules are visible?"],
        [QuestionType.NoduleSide] = ["Which side is the nodule on?", "Which lung has the nodules?"],
        [QuestionType.NoduleSize] = ["How large is the largest nodule?", "What is the size category of the largest nodule?"],
        [QuestionType.EmphysemaPresence] = ["Is there emphysema?", "Is emphysema present?"],
        [QuestionType.EffusionPresence] = ["Is there a pleural effusion?", "Is pleural fluid present?"],
        [QuestionType.EffusionSide] = ["Which side is the effusion on?", "On which side is the pleural fluid?"],
        [QuestionType.Describe] = ["Describe the findings.", "What are the findings?", "Write the report."],
    };

    private static readonly string[] CountWords = ["none", "one", "two", "three"];

    /// <summary>Every question that applies to <paramref name="findings"/> (side and size only when there is a nodule or effusion).</summary>
    public static IReadOnlyList<QuestionAnswer> All(SliceFindings findings, ReportStyle style, Random random) =>
        All(findings, ReportWriter.Write(findings ?? throw new ArgumentNullException(nameof(findings)), style), random);

    /// <summary>
    /// Every question that applies to <paramref name="findings"/>, the open one answered with <paramref name="report"/>:
    /// how a site turns its own reports (read back with <see cref="ReportReader"/>) into training questions.
    /// </summary>
    public static IReadOnlyList<QuestionAnswer> All(SliceFindings findings, string report, Random random)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentException.ThrowIfNullOrWhiteSpace(report);
        ArgumentNullException.ThrowIfNull(random);
        var list = new List<QuestionAnswer>();
        void Add(QuestionType type, string answer)
        {
            var p = Phrasings[type];
            list.Add(new QuestionAnswer(type, p[random.Next(p.Length)], answer));
        }
        Add(QuestionType.NodulePresence, findings.Nodules.Count > 0 ? "yes" : "no");
        Add(QuestionType.NoduleCount, CountWords[Math.Min(findings.Nodules.Count, 3)]);
        if (findings.Nodules.Count > 0)
        {
            Add(QuestionType.NoduleSide, SideAnswer(findings.Nodules.Select(n => n.Side)));
            Add(QuestionType.NoduleSize, SliceFindings.SizeBucket(findings.Nodules.Max(n => n.DiameterMm)));
        }
        Add(QuestionType.EmphysemaPresence, findings.EmphysemaSides.Count > 0 ? "yes" : "no");
        Add(QuestionType.EffusionPresence, findings.Effusions.Count > 0 ? "yes" : "no");
        if (findings.Effusions.Count > 0) Add(QuestionType.EffusionSide, SideAnswer(findings.Effusions.Select(e => e.Side)));
        Add(QuestionType.Describe, report.Trim());
        return list;
    }

    private static string SideAnswer(IEnumerable<Side> sides)
    {
        var distinct = sides.Distinct().ToList();
        return distinct.Count == 2 ? "both" : ReportWriter.Name(distinct[0]);
    }
}
