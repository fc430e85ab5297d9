using FedNano.Dicom;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Reports;
using FedNano.Reconstruction.DicomIo;
using FedNano.Reconstruction.Scans;
using FedNano.Samples.RadiologyQaTraining;

namespace FedNano.Samples.FederationSimulation;

/// <summary>One simulated hospital: its data folders (DICOM CT series + reports) and what makes it differ from the others.</summary>
public sealed record SimulatedSite(string Id, double NoiseHu, ReportStyle Style, bool SrReports, string TrainDirectory, string TestDirectory,
    int TrainCases, int TestCases, IReadOnlyDictionary<string, int> CaseKinds);

/// <summary>
/// Splits phantom patients over sites non-IID: each case's main finding type ("effusion" before "emphysema" before
/// "nodule" before "normal") picks its site from that type's Dirichlet(α) proportions over sites (Hsu et al. 2019).
/// Each site renders its cases with its own image noise and writes its reports in its own style (one site keeps them
/// as Basic Text SR), as CT series of the stack the report describes. Within a site, a share of cases is held out.
/// </summary>
public static class SiteCohort
{
    /// <summary>The finding types sites are skewed over.</summary>
    public static readonly string[] Kinds = ["effusion", "emphysema", "nodule", "normal"];

    /// <summary>Writes the sites' folders under <paramref name="root"/>.</summary>
    public static IReadOnlyList<SimulatedSite> Write(string root, string[] siteIds, double[] noiseHu, int cases, int firstCaseSeed, int extraSlices, double alpha,
        double testFraction, int seed, CtInputSpec spec, Action<string> log)
    {
        var random = new Random(seed);
        var probe = new PhantomSlices(spec, 0);
        var kindOf = new Dictionary<int, string>();
        for (int c = 0; c < cases; c++)
        {
            int caseSeed = firstCaseSeed + c;
            var kinds = probe.Levels(caseSeed, 0, new Random(caseSeed)).SelectMany(l => l.Findings.Kinds()).ToHashSet();
            kindOf[caseSeed] = Kinds.First(k => kinds.Contains(k) || k == "normal");
        }
        // Redrawn until every site has a usable share (as non-IID benchmarks do), so no site is left with one patient.
        int minimum = Math.Max(4, cases / (4 * siteIds.Length));
        Dictionary<string, List<int>> assigned;
        do
        {
            var mix = Kinds.ToDictionary(k => k, _ => Dirichlet.Sample(siteIds.Length, alpha, random));
            assigned = siteIds.ToDictionary(s => s, _ => new List<int>());
            foreach (var (caseSeed, kind) in kindOf)
            {
                double u = random.NextDouble(), acc = 0;
                int site = siteIds.Length - 1;
                for (int s = 0; s < siteIds.Length; s++) { acc += mix[kind][s]; if (u < acc) { site = s; break; } }
                assigned[siteIds[site]].Add(caseSeed);
            }
        }
        while (assigned.Values.Any(l => l.Count < minimum));
        var styles = Enum.GetValues<ReportStyle>();
        var result = new List<SimulatedSite>();
        for (int s = 0; s < siteIds.Length; s++)
        {
            var id = siteIds[s];
            var list = assigned[id].OrderBy(_ => random.Next()).ToList();
            int test = Math.Max(1, (int)Math.Round(testFraction * list.Count));
            var style = styles[s % styles.Length];
            bool sr = s == 2;
            var slices = new PhantomSlices(spec, noiseHu[s]);
            var siteRandom = new Random(seed * 31 + s);
            var train = Path.Combine(root, id, "train");
            var held = Path.Combine(root, id, "test");
            WriteCases(slices, list.Skip(test), train, style, sr, extraSlices, siteRandom);
            WriteCases(slices, list.Take(test), held, style, sr, extraSlices, siteRandom);
            var kinds = Kinds.ToDictionary(k => k, k => list.Count(c => kindOf[c] == k));
            result.Add(new SimulatedSite(id, noiseHu[s], style, sr, train, held, list.Count - test, test, kinds));
            log($"site {id}: {list.Count - test} training + {test} held-out cases ({string.Join(", ", kinds.Select(k => $"{k.Key} {k.Value}"))}), noise {noiseHu[s]} HU, {style} reports{(sr ? " as Basic Text SR" : "")}");
        }
        return result;
    }

    private static void WriteCases(PhantomSlices slices, IEnumerable<int> caseSeeds, string directory, ReportStyle style, bool sr, int extraSlices, Random random)
    {
        Directory.CreateDirectory(directory);
        var writer = new CtImageSeriesWriter();
        foreach (var caseSeed in caseSeeds)
        {
            int k = 0;
            foreach (var (z, findings) in slices.Levels(caseSeed, extraSlices, random).ToList())
            {
                var volume = slices.Hounsfield(caseSeed, z, random);
                var metadata = ScanUids.Complete(new ScanMetadata($"PHANTOM^{caseSeed}", $"P{caseSeed}", StudyDescription: "CT chest"));
                var seriesDirectory = Path.Combine(directory, $"case-{caseSeed}-{k++}");
                writer.Write(volume, metadata, seriesDirectory, new CtSeriesOptions("Chest key images", 2, "STANDARD", LungWindow: true));
                var report = ReportWriter.Write(findings, style);
                if (sr)
                {
                    var first = DicomFile.Open(Path.Combine(seriesDirectory, CtImageSeriesWriter.FileName(0))).Dataset;
                    new DicomFile(BasicTextSr.Write(report, first)).Save(Path.Combine(directory, $"report-{caseSeed}-{k}.dcm"));
                }
                else
                {
                    File.WriteAllText(Path.Combine(directory, metadata.StudyInstanceUid + ".txt"), report);
                }
            }
        }
    }
}
