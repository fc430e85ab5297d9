using FedNano.FederatedMLLM.Radiology;

namespace FedNano.FederatedMLLM.Tests;

/// <summary>Reports and question–answer pairs written from ground truth, and how answers are scored.</summary>
public sealed class RadiologyTextTests
{
    private static readonly SliceFindings TwoNodulesAndEffusion = new(
        [new Nodule(Side.Right, "upper", 12.4, "solid"), new Nodule(Side.Right, "lower", 5.0, "ground-glass")],
        [],
        [new Effusion(Side.Left, 22)]);

    private static readonly SliceFindings Normal = new([], [], []);

    [Theory]
    [InlineData(ReportStyle.Structured, "FINDINGS: Two nodules in the right lung, largest 12 mm in the right upper lobe. Small left pleural effusion. IMPRESSION: Pulmonary nodules, pleural effusion.")]
    [InlineData(ReportStyle.Narrative, "There are two nodules in the right lung, the largest 12 mm in the right upper lobe. A small left pleural effusion is present.")]
    [InlineData(ReportStyle.Terse, "two nodules in the right lung, largest 12 mm in the right upper lobe; small left pleural effusion.")]
    public void A_report_names_count_size_lobe_and_side_in_each_style(ReportStyle style, string expected)
    {
        Assert.Equal(expected, ReportWriter.Write(TwoNodulesAndEffusion, style));
    }

    [Fact]
    public void A_normal_study_is_reported_as_normal()
    {
        Assert.Equal("FINDINGS: No nodules, emphysema or effusion. IMPRESSION: Normal chest CT.", ReportWriter.Write(Normal, ReportStyle.Structured));
    }

    [Fact]
    public void Closed_questions_have_one_word_answers_from_the_ground_truth()
    {
        var qa = QuestionWriter.All(TwoNodulesAndEffusion, ReportStyle.Terse, new Random(1)).ToDictionary(q => q.Type, q => q.Answer);

        Assert.Equal("yes", qa[QuestionType.NodulePresence]);
        Assert.Equal("two", qa[QuestionType.NoduleCount]);
        Assert.Equal("right", qa[QuestionType.NoduleSide]);
        Assert.Equal("large", qa[QuestionType.NoduleSize]);
        Assert.Equal("no", qa[QuestionType.EmphysemaPresence]);
        Assert.Equal("yes", qa[QuestionType.EffusionPresence]);
        Assert.Equal("left", qa[QuestionType.EffusionSide]);
        Assert.StartsWith("two nodules", qa[QuestionType.Describe]);
    }

    [Fact]
    public void Side_and_size_questions_are_not_asked_about_a_normal_study()
    {
        var types = QuestionWriter.All(Normal, ReportStyle.Structured, new Random(1)).Select(q => q.Type).ToList();

        Assert.DoesNotContain(QuestionType.NoduleSide, types);
        Assert.DoesNotContain(QuestionType.NoduleSize, types);
        Assert.DoesNotContain(QuestionType.EffusionSide, types);
        Assert.Contains(QuestionType.Describe, types);
    }

    [Theory]
    [InlineData(QuestionType.NodulePresence, "Yes.", "yes", true)]
    [InlineData(QuestionType.NodulePresence, "no", "yes", false)]
    [InlineData(QuestionType.NoduleSize, "part-solid", "part-solid", true)]
    [InlineData(QuestionType.Describe, "small left pleural effusion; two nodules in the right lung.", "FINDINGS: Two nodules … Small left pleural effusion.", true)]
    [InlineData(QuestionType.Describe, "FINDINGS: No nodules, emphysema or effusion.", "The lungs are clear and there is no pleural effusion.", true)]
    [InlineData(QuestionType.Describe, "Emphysema in both lungs.", "The lungs are clear and there is no pleural effusion.", false)]
    public void Answers_are_scored_by_first_word_or_by_the_findings_mentioned(QuestionType type, string answer, string reference, bool correct)
    {
        Assert.Equal(correct, AnswerScorer.IsCorrect(type, answer, reference));
    }

    [Fact]
    public void The_lung_window_spans_minus_1350_to_150_HU()
    {
        var window = new CtWindow();

        Assert.Equal(0f, window.Apply(-1400));
        Assert.Equal(0.2333f, window.Apply(-1000), 3); // air stays distinguishable from the window floor
        Assert.Equal(0.5f, window.Apply(-600), 5);
        Assert.Equal(1f, window.Apply(400));
    }
}
