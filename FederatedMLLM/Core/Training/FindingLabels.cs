using FedNano.FederatedMLLM.Radiology;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Training;

/// <summary>
/// Per-image finding labels read back from a dataset's closed questions (presence and side answers), for supervising
/// the vision encoder directly before it is connected to the language model.
/// </summary>
public static class FindingLabels
{
    /// <summary>The label columns, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["nodule", "nodule right", "nodule left", "emphysema", "effusion", "effusion right", "effusion left"];

    /// <summary>Where each label comes from in a left–right mirrored image: right and left swap, presence stays.</summary>
    public static IReadOnlyList<int> Mirror { get; } = [0, 2, 1, 3, 4, 6, 5];

    /// <summary>Labels [N, <see cref="Names"/>.Count] in {0, 1}, one row per image of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">An image has no presence question for one of the findings, so its label is unknown.</exception>
    public static Tensor From(QaDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        long n = data.Images.shape[0];
        var labels = new float[n, Names.Count];
        var known = new bool[n, 3];
        foreach (var s in data.Samples)
        {
            var answer = s.Answer.Trim().ToLowerInvariant();
            switch (s.Type)
            {
                case QuestionType.NodulePresence: labels[s.Image, 0] = Yes(answer); known[s.Image, 0] = true; break;
                case QuestionType.EmphysemaPresence: labels[s.Image, 3] = Yes(answer); known[s.Image, 1] = true; break;
                case QuestionType.EffusionPresence: labels[s.Image, 4] = Yes(answer); known[s.Image, 2] = true; break;
                case QuestionType.NoduleSide: SetSides(s.Image, 1, answer); break;
                case QuestionType.EffusionSide: SetSides(s.Image, 5, answer); break;
            }
        }
        for (long i = 0; i < n; i++)
            for (int k = 0; k < 3; k++)
                if (!known[i, k]) throw new ArgumentException($"Image {i} has no {new[] { "nodule", "emphysema", "effusion" }[k]} presence question, so its labels are unknown.", nameof(data));
        return tensor(labels);

        void SetSides(int image, int column, string answer)
        {
            if (answer is "right" or "both") labels[image, column] = 1;
            if (answer is "left" or "both") labels[image, column + 1] = 1;
        }
    }

    private static float Yes(string answer) => answer == "yes" ? 1 : 0;
}
