using System.Globalization;
using System.Text;

namespace FedNano.FederatedMLLM.Radiology;

/// <summary>Writes a radiology-style report of <see cref="SliceFindings"/> in a <see cref="ReportStyle"/>: nodules with count, size in mm, lobe and side; emphysema; effusions; or a normal study.</summary>
public static class ReportWriter
{
    private static readonly string[] Counts = ["no", "one", "two", "three", "four", "five"];

    /// <summary>The report text.</summary>
    public static string Write(SliceFindings findings, ReportStyle style)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var parts = Sentences(findings, style);
        return style switch
        {
            ReportStyle.Structured => $"FINDINGS: {string.Join(" ", parts)} IMPRESSION: {Impression(findings)}",
            ReportStyle.Narrative => string.Join(" ", parts),
            _ => string.Join("; ", parts.Select(p => p.TrimEnd('.').ToLowerInvariant())) + ".",
        };
    }

    private static List<string> Sentences(SliceFindings f, ReportStyle style)
    {
        var s = new List<string>();
        if (f.Nodules.Count > 0)
        {
            var largest = f.Nodules.MaxBy(n => n.DiameterMm)!;
            string where = Where(f.Nodules);
            s.Add(f.Nodules.Count == 1
                ? style == ReportStyle.Narrative
                    ? $"There is a {Mm(largest.DiameterMm)} {largest.Type} nodule in the {Lobe(largest)}."
                    : $"{Mm(largest.DiameterMm)} {largest.Type} nodule in the {Lobe(largest)}."
                : style == ReportStyle.Narrative
                    ? $"There are {Counts[Math.Min(f.Nodules.Count, 5)]} nodules in the {where}, the largest {Mm(largest.DiameterMm)} in the {Lobe(largest)}."
                    : $"{Cap(Counts[Math.Min(f.Nodules.Count, 5)])} nodules in the {where}, largest {Mm(largest.DiameterMm)} in the {Lobe(largest)}.");
        }
        if (f.EmphysemaSides.Count > 0)
        {
            string where = f.EmphysemaSides.Distinct().Count() == 2 ? "both lungs" : $"the {Name(f.EmphysemaSides[0])} lung";
            s.Add(style == ReportStyle.Narrative ? $"Emphysematous change is seen in {where}." : $"Emphysema in {where}.");
        }
        foreach (var e in f.Effusions.OrderBy(e => e.Side))
        {
            string size = e.DepthMm < 30 ? "small" : "moderate";
            s.Add(style == ReportStyle.Narrative ? $"A {size} {Name(e.Side)} pleural effusion is present." : $"{Cap(size)} {Name(e.Side)} pleural effusion.");
        }
        if (s.Count == 0) s.Add(style == ReportStyle.Narrative ? "The lungs are clear and there is no pleural effusion." : "No nodules, emphysema or effusion.");
        return s;
    }

    private static string Impression(SliceFindings f)
    {
        if (f.IsNormal) return "Normal chest CT.";
        var items = new List<string>();
        if (f.Nodules.Count > 0) items.Add(f.Nodules.Count == 1 ? "pulmonary nodule" : "pulmonary nodules");
        if (f.EmphysemaSides.Count > 0) items.Add("emphysema");
        if (f.Effusions.Count > 0) items.Add(f.Effusions.Count == 2 ? "bilateral pleural effusions" : "pleural effusion");
        return Cap(string.Join(", ", items)) + ".";
    }

    private static string Where(IReadOnlyList<Nodule> nodules) =>
        nodules.Select(n => n.Side).Distinct().Count() == 2 ? "both lungs" : $"{Name(nodules[0].Side)} lung";

    private static string Lobe(Nodule n) => $"{Name(n.Side)} {n.Lobe} lobe";

    /// <summary>"right" or "left".</summary>
    public static string Name(Side side) => side == Side.Right ? "right" : "left";

    private static string Mm(double mm) => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(mm):0} mm");

    private static string Cap(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
