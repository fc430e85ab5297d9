using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Training;
using Xunit;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Tests;

/// <summary>Finding labels are read back from the closed questions about each image.</summary>
public sealed class FindingLabelsTests
{
    private static List<QaSample> Questions(int image, SliceFindings findings) =>
        QuestionWriter.All(findings, ReportStyle.Structured, new Random(image)).Select(q => new QaSample(image, q.Type, q.Question, q.Answer, "c")).ToList();

    [Fact]
    public void Presence_and_sides_come_from_the_questions_of_each_image()
    {
        var normal = new SliceFindings([], [], []);
        var findings = new SliceFindings([new Nodule(Side.Right, "upper", 8, "solid"), new Nodule(Side.Left, "lower", 5, "solid")], [Side.Left], [new Effusion(Side.Left, 20)]);
        using var data = new QaDataset(zeros(2, 1, 4, 4), [.. Questions(0, normal), .. Questions(1, findings)]);
        using var labels = FindingLabels.From(data);
        Assert.Equal(new float[] { 0, 0, 0, 0, 0, 0, 0 }, labels[0].data<float>().ToArray());
        Assert.Equal(new float[] { 1, 1, 1, 1, 1, 0, 1 }, labels[1].data<float>().ToArray());
    }

    [Fact]
    public void An_image_without_a_presence_question_is_refused()
    {
        var samples = Questions(0, new SliceFindings([], [], [])).Where(s => s.Type != QuestionType.EffusionPresence).ToList();
        using var data = new QaDataset(zeros(1, 1, 4, 4), samples);
        var e = Assert.Throws<ArgumentException>(() => FindingLabels.From(data));
        Assert.Contains("effusion", e.Message, StringComparison.Ordinal);
    }
}
