using FedNano.FederatedMLLM.Radiology;
using Xunit;

namespace FedNano.FederatedMLLM.Tests.Radiology;

/// <summary>A site's training questions come from its own reports: reading a report back must give the answers the images hold.</summary>
public sealed class ReportReaderTests
{
    private static SliceFindings RandomFindings(Random r)
    {
        var sides = new[] { Side.Right, Side.Left };
        var lobes = new[] { "upper", "middle", "lower" };
        var types = new[] { "solid", "part-solid", "ground-glass" };
        var nodules = Enumerable.Range(0, r.Next(4) == 0 ? r.Next(2, 4) : r.Next(2))
            .Select(_ => new Nodule(sides[r.Next(2)], lobes[r.Next(3)], r.Next(3, 20), types[r.Next(3)])).ToList();
        var emphysema = sides.Where(_ => r.Next(4) == 0).ToList();
        var effusions = sides.Where(_ => r.Next(3) == 0).Select(s => new Effusion(s, r.Next(10, 60))).ToList();
        return new SliceFindings(nodules, emphysema, effusions);
    }

    [Theory]
    [InlineData(ReportStyle.Structured)]
    [InlineData(ReportStyle.Narrative)]
    [InlineData(ReportStyle.Terse)]
    public void Every_closed_answer_read_from_a_report_matches_the_findings_it_was_written_from(ReportStyle style)
    {
        var random = new Random(3);
        for (int i = 0; i < 300; i++)
        {
            var truth = RandomFindings(random);
            var report = ReportWriter.Write(truth, style);
            var read = ReportReader.Read(report);
            Assert.NotNull(read);
            var expected = QuestionWriter.All(truth, style, new Random(i)).Where(q => q.Type != QuestionType.Describe).Select(q => (q.Type, q.Answer));
            var actual = QuestionWriter.All(read, report, new Random(i)).Where(q => q.Type != QuestionType.Describe).Select(q => (q.Type, q.Answer));
            Assert.True(expected.SequenceEqual(actual), $"{report}\nexpected {string.Join(", ", expected)}\nactual   {string.Join(", ", actual)}");
        }
    }

    [Fact]
    public void The_open_question_is_answered_with_the_sites_own_report()
    {
        const string Report = "FINDINGS: Small left pleural effusion. IMPRESSION: Pleural effusion.";
        var read = ReportReader.Read(Report)!;
        var describe = QuestionWriter.All(read, Report, new Random(1)).Single(q => q.Type == QuestionType.Describe);
        Assert.Equal(Report, describe.Answer);
        Assert.Equal(Side.Left, Assert.Single(read.Effusions).Side);
    }

    [Fact]
    public void A_normal_report_gives_a_normal_study() =>
        Assert.True(ReportReader.Read("The lungs are clear and there is no pleural effusion.")!.IsNormal);

    [Fact]
    public void The_impression_does_not_add_findings_of_its_own()
    {
        var read = ReportReader.Read("FINDINGS: 8 mm solid nodule in the right upper lobe. IMPRESSION: Pulmonary nodule; compare with the small left pleural effusion of 2019.")!;
        Assert.Single(read.Nodules);
        Assert.Empty(read.Effusions);
    }

    [Fact]
    public void A_report_that_states_nothing_recognisable_gives_no_findings() =>
        Assert.Null(ReportReader.Read("Comparison with prior study requested; see addendum."));
}
