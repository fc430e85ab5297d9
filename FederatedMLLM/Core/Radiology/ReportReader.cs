using System.Globalization;
using System.Text.RegularExpressions;

namespace FedNano.FederatedMLLM.Radiology;

/// <summary>
/// Reads the findings back out of a chest CT report, in any of the <see cref="ReportStyle"/>s sites use: nodules
/// (count, sides, the largest one's size and lobe), emphysema sides, effusion sides and sizes, or a normal study. Of a
/// structured report only the FINDINGS section is read. A site's training questions are written from what its own
/// reports say, so a report that states nothing recognisable gives no questions rather than wrong "no" answers.
/// </summary>
public static partial class ReportReader
{
    private static readonly string[] CountWords = ["zero", "one", "two", "three", "four", "five"];

    /// <summary>Depths recorded for "small" and "moderate" effusions (reports give the category, not the depth).</summary>
    public const double SmallEffusionDepthMm = 20, ModerateEffusionDepthMm = 40;

    /// <summary>The findings the report states, or null when it states neither a finding nor a normal study.</summary>
    public static SliceFindings? Read(string report)
    {
        ArgumentNullException.ThrowIfNull(report);
        string text = report.Replace('\n', ' ').Replace('\r', ' ');
        var findings = FindingsSection().Match(text);
        if (findings.Success) text = findings.Groups[1].Value;

        var nodules = new List<Nodule>();
        foreach (Match m in SingleNodule().Matches(text))
            nodules.Add(new Nodule(SideOf(m.Groups["side"].Value), m.Groups["lobe"].Value.ToLowerInvariant(), Mm(m.Groups["mm"].Value), m.Groups["type"].Value.ToLowerInvariant()));
        foreach (Match m in SeveralNodules().Matches(text))
        {
            int count = Count(m.Groups["count"].Value);
            var largestSide = SideOf(m.Groups["side"].Value);
            double largestMm = Mm(m.Groups["mm"].Value);
            nodules.Add(new Nodule(largestSide, m.Groups["lobe"].Value.ToLowerInvariant(), largestMm, "solid"));
            bool both = m.Groups["where"].Value.Contains("both", StringComparison.OrdinalIgnoreCase);
            var otherSide = largestSide == Side.Right ? Side.Left : Side.Right;
            // The report names the largest only; the others are no larger, on the lung(s) it gives.
            for (int i = 1; i < count; i++) nodules.Add(new Nodule(both && i == 1 ? otherSide : largestSide, "unknown", largestMm, "solid"));
        }

        var emphysema = new List<Side>();
        foreach (Match m in Emphysema().Matches(text))
        {
            if (m.Groups["where"].Value.Contains("both", StringComparison.OrdinalIgnoreCase)) emphysema.AddRange([Side.Right, Side.Left]);
            else emphysema.Add(SideOf(m.Groups["side"].Value));
        }

        var effusions = new List<Effusion>();
        foreach (Match m in EffusionPattern().Matches(text))
        {
            if (m.Groups["neg"].Success) continue;
            var side = SideOf(m.Groups["side"].Value);
            if (effusions.Any(e => e.Side == side)) continue;
            effusions.Add(new Effusion(side, m.Groups["size"].Value.Equals("moderate", StringComparison.OrdinalIgnoreCase) ? ModerateEffusionDepthMm : SmallEffusionDepthMm));
        }

        var result = new SliceFindings(nodules, emphysema.Distinct().ToList(), effusions);
        if (result.IsNormal && !Normal().IsMatch(text)) return null;
        return result;
    }

    private static Side SideOf(string word) => word.Equals("right", StringComparison.OrdinalIgnoreCase) ? Side.Right : Side.Left;

    private static double Mm(string value) => double.Parse(value, CultureInfo.InvariantCulture);

    private static int Count(string word)
    {
        if (int.TryParse(word, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n)) return n;
        int i = Array.FindIndex(CountWords, w => w.Equals(word, StringComparison.OrdinalIgnoreCase));
        return i < 0 ? 2 : i;
    }

    [GeneratedRegex(@"FINDINGS:\s*(.*?)\s*(?:IMPRESSION:|$)", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex FindingsSection();

    [GeneratedRegex(@"(?<mm>\d+(?:\.\d+)?)\s*mm\s+(?<type>solid|part-solid|ground-glass)\s+nodule\s+in\s+the\s+(?<side>right|left)\s+(?<lobe>upper|middle|lower)\s+lobe", RegexOptions.IgnoreCase)]
    private static partial Regex SingleNodule();

    [GeneratedRegex(@"(?<count>two|three|four|five|\d+)\s+nodules\s+in\s+(?:the\s+)?(?<where>both\s+lungs|right\s+lung|left\s+lung)[^.;]*?largest\s+(?<mm>\d+(?:\.\d+)?)\s*mm\s+in\s+the\s+(?<side>right|left)\s+(?<lobe>upper|middle|lower)\s+lobe", RegexOptions.IgnoreCase)]
    private static partial Regex SeveralNodules();

    [GeneratedRegex(@"emphysem\w*(?:\s+change)?(?:\s+is\s+seen)?\s+in\s+(?<where>both\s+lungs|the\s+(?<side>right|left)\s+lung)", RegexOptions.IgnoreCase)]
    private static partial Regex Emphysema();

    [GeneratedRegex(@"(?<neg>\bno\s+)?(?<size>small|moderate)\s+(?<side>right|left)\s+pleural\s+effusion", RegexOptions.IgnoreCase)]
    private static partial Regex EffusionPattern();

    [GeneratedRegex(@"lungs\s+are\s+clear|\bno\s+nodules\b|normal\s+chest", RegexOptions.IgnoreCase)]
    private static partial Regex Normal();
}
