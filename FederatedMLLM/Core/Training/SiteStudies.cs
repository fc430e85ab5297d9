using FedNano.Dicom;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Reports;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Training;

/// <summary>What a site's data source held: the training set and what was left out, each with its reason.</summary>
/// <param name="Data">One image per reported CT series, with the questions its report answers.</param>
/// <param name="Series">CT series used.</param>
/// <param name="Skipped">Series, reports and files left out, each "what: why".</param>
public sealed record SiteStudiesResult(QaDataset Data, int Series, IReadOnlyList<string> Skipped);

/// <summary>
/// A hospital site's training data from what it actually keeps: CT image series and their reports. A report is a text
/// file named after the series' or the study's instance UID (or its accession number), or a Basic Text SR instance of
/// the study; a series report wins over a study report. Each reported series gives one encoder input, the stack at
/// its middle slice (a site exports the key-image range its report describes), and the questions
/// <see cref="ReportReader"/> can answer from the report, the open one answered with the report itself.
/// </summary>
public static class SiteStudies
{
    /// <summary>CT Image Storage and Enhanced CT Image Storage.</summary>
    private static readonly HashSet<string> CtSopClasses = ["1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.2.1"];

    /// <summary>Reads every file under <paramref name="directory"/>: DICOM CT images and SR reports, and <c>*.txt</c> reports.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">Nothing usable: no CT series with a readable report (the reasons are listed).</exception>
    public static SiteStudiesResult LoadFolder(string directory, CtInputSpec spec, int seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(spec);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Site data folder '{directory}' does not exist.");
        var skipped = new List<string>();
        var reports = new Dictionary<string, string>(StringComparer.Ordinal);
        var series = new Dictionary<string, (string Study, string? Accession, List<string> Paths)>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.')) continue;
            if (name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            {
                var text = File.ReadAllText(path).Trim();
                if (text.Length == 0) skipped.Add($"{name}: empty report");
                else reports[Path.GetFileNameWithoutExtension(name)] = text;
                continue;
            }
            DicomDataset ds;
            try
            {
                ds = DicomFile.Open(path).Dataset;
            }
            catch (Exception e) when (e is DicomFormatException or DicomDataException or IOException or EndOfStreamException)
            {
                skipped.Add($"{name}: not a readable DICOM file ({e.Message})");
                continue;
            }
            var study = ds.GetString(DicomTags.StudyInstanceUID);
            if (study is null) { skipped.Add($"{name}: no Study Instance UID"); continue; }
            if (ds.GetString(DicomTags.Modality) == "SR")
            {
                try { reports.TryAdd(study, BasicTextSr.ReadText(ds)); }
                catch (FormatException e) { skipped.Add($"{name}: {e.Message}"); }
                continue;
            }
            if (!CtSopClasses.Contains(ds.GetString(DicomTags.SOPClassUID) ?? "")) { skipped.Add($"{name}: not a CT image ({ds.GetString(DicomTags.Modality)})"); continue; }
            var seriesUid = ds.GetString(DicomTags.SeriesInstanceUID);
            if (seriesUid is null) { skipped.Add($"{name}: no Series Instance UID"); continue; }
            if (!series.TryGetValue(seriesUid, out var entry)) series[seriesUid] = entry = (study, ds.GetString(DicomTags.AccessionNumber), []);
            entry.Paths.Add(path);
        }
        // Images are read a series at a time, so a large archive is never in memory at once.
        var found = series.Select(s => new ReportedSeries(s.Key, s.Value.Study, s.Value.Accession, () => s.Value.Paths.Select(p => DicomFile.Open(p).Dataset)));
        return Build(found, reports, spec, seed, skipped);
    }

    /// <summary>A CT series of the site, its instances read on demand.</summary>
    /// <param name="SeriesInstanceUid">The series.</param>
    /// <param name="StudyInstanceUid">Its study.</param>
    /// <param name="AccessionNumber">The study's accession number, when known.</param>
    /// <param name="Instances">Reads the series' instances.</param>
    public sealed record ReportedSeries(string SeriesInstanceUid, string StudyInstanceUid, string? AccessionNumber, Func<IEnumerable<DicomDataset>> Instances);

    /// <summary>The training set from CT series and reports keyed by series UID, study UID or accession number.</summary>
    /// <exception cref="InvalidDataException">No series had a readable report.</exception>
    public static SiteStudiesResult Build(IEnumerable<ReportedSeries> series, IReadOnlyDictionary<string, string> reports, CtInputSpec spec, int seed, List<string>? skipped = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(spec);
        skipped ??= [];
        var random = new Random(seed);
        var pixels = new List<float[]>();
        var samples = new List<QaSample>();
        foreach (var s in series)
        {
            var report = reports.GetValueOrDefault(s.SeriesInstanceUid) ?? reports.GetValueOrDefault(s.StudyInstanceUid)
                ?? (s.AccessionNumber is { Length: > 0 } a ? reports.GetValueOrDefault(a) : null);
            if (report is null) { skipped.Add($"series {s.SeriesInstanceUid}: no report"); continue; }
            if (ReportReader.Read(report) is not { } findings) { skipped.Add($"series {s.SeriesInstanceUid}: the report states no finding the questions cover"); continue; }
            float[] stack;
            try
            {
                var ct = AxialCtSeries.Read(s.Instances());
                stack = SliceStack.Build(ct, spec, ct.MiddleZMm);
            }
            catch (Exception e) when (e is FormatException or DicomFormatException or DicomDataException or IOException)
            {
                skipped.Add($"series {s.SeriesInstanceUid}: {e.Message}");
                continue;
            }
            int image = pixels.Count;
            pixels.Add(stack);
            foreach (var qa in QuestionWriter.All(findings, report, random))
                samples.Add(new QaSample(image, qa.Type, qa.Question, qa.Answer, s.StudyInstanceUid));
        }
        if (pixels.Count == 0)
            throw new InvalidDataException("No CT series with a readable report" + (skipped.Count > 0 ? ": " + string.Join("; ", skipped.Take(10)) + (skipped.Count > 10 ? $"; … {skipped.Count - 10} more" : "") : "."));
        var images = tensor(pixels.SelectMany(p => p).ToArray()).reshape(pixels.Count, spec.Slices, spec.ImageSize, spec.ImageSize);
        return new SiteStudiesResult(new QaDataset(images, samples), pixels.Count, skipped);
    }
}
