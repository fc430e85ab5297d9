using FedNano.Dicom;
using FedNano.FederatedMLLM.Radiology;
using FedNano.FederatedMLLM.Reports;
using FedNano.FederatedMLLM.Training;

namespace FedNano.FederatedMLLM.Protocol;

/// <summary>
/// A site's training data straight from its DICOMweb PACS: CT series found with QIDO-RS (Modality CT, optionally a
/// study-date range), reports from text files named by study/series UID or accession number, or from Basic Text SR
/// series in the PACS. A series is read with WADO-RS only once a report for it is known, one series at a time; a
/// series that cannot be read is left out with its reason and the others go on.
/// </summary>
public static class PacsSiteStudies
{
    private static readonly string[] IncludeFields = ["StudyInstanceUID", "AccessionNumber", "StudyDate"];

    /// <summary>Searches, reads and turns the site's reported CT series into its QA training set.</summary>
    /// <param name="pacs">The PACS client.</param>
    /// <param name="options">What to search and where the reports are.</param>
    /// <param name="spec">The encoder input of the model being tuned.</param>
    /// <param name="seed">Seed of the question wording.</param>
    /// <param name="log">Progress lines.</param>
    /// <param name="cancellationToken">Cancels the search and the downloads.</param>
    /// <exception cref="PacsException">The PACS could not be searched.</exception>
    /// <exception cref="InvalidDataException">No CT series with a readable report (the reasons are listed).</exception>
    public static async Task<SiteStudiesResult> LoadAsync(SitePacsClient pacs, SitePacsOptions options, CtInputSpec spec, int seed,
        Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pacs);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(spec);
        var skipped = new List<string>();
        var match = new Dictionary<string, string>(StringComparer.Ordinal) { ["Modality"] = "CT" };
        if (!string.IsNullOrWhiteSpace(options.StudyDate)) match["StudyDate"] = options.StudyDate;
        var ct = await pacs.SearchSeriesAsync(match, IncludeFields, options.MaxSeries, cancellationToken).ConfigureAwait(false);
        log?.Invoke($"PACS {options.BaseUrl}: {ct.Count} CT series");

        var reports = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(options.ReportsDirectory))
        {
            foreach (var path in Directory.EnumerateFiles(options.ReportsDirectory, "*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var text = (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
                if (text.Length == 0) skipped.Add($"{Path.GetFileName(path)}: empty report");
                else reports[Path.GetFileNameWithoutExtension(path)] = text;
            }
        }
        if (options.ReportsFromSr)
            await ReadSrReportsAsync(pacs, ct, reports, skipped, log, cancellationToken).ConfigureAwait(false);

        var series = new List<SiteStudies.ReportedSeries>();
        foreach (var s in ct)
        {
            var seriesUid = s.GetString(DicomTags.SeriesInstanceUID);
            var studyUid = s.GetString(DicomTags.StudyInstanceUID);
            if (seriesUid is null || studyUid is null) { skipped.Add($"a QIDO-RS result without {(seriesUid is null ? "Series" : "Study")} Instance UID"); continue; }
            int number = series.Count + 1;
            series.Add(new SiteStudies.ReportedSeries(seriesUid, studyUid, s.GetString(DicomTags.AccessionNumber), () =>
            {
                log?.Invoke($"WADO-RS series {number}/{ct.Count}: {seriesUid}");
                // SiteStudies reads synchronously and only series it has a report for; the agent has no synchronisation context to deadlock.
                return pacs.RetrieveSeriesAsync(studyUid, seriesUid, cancellationToken).GetAwaiter().GetResult();
            }));
        }
        return SiteStudies.Build(series, reports, spec, seed, skipped);
    }

    // Reports of the studies that have CT series: SR series searched per study, so a large archive is not listed whole.
    private static async Task ReadSrReportsAsync(SitePacsClient pacs, IReadOnlyList<DicomDataset> ct, Dictionary<string, string> reports, List<string> skipped,
        Action<string>? log, CancellationToken cancellationToken)
    {
        int found = 0;
        foreach (var study in ct.Select(s => s.GetString(DicomTags.StudyInstanceUID)).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (reports.ContainsKey(study)) continue;
            var sr = await pacs.SearchSeriesAsync(new Dictionary<string, string> { ["StudyInstanceUID"] = study, ["Modality"] = "SR" }, [], 0, cancellationToken).ConfigureAwait(false);
            foreach (var s in sr)
            {
                if (s.GetString(DicomTags.SeriesInstanceUID) is not { } seriesUid) continue;
                IReadOnlyList<DicomDataset> instances;
                try
                {
                    instances = await pacs.RetrieveSeriesAsync(study, seriesUid, cancellationToken).ConfigureAwait(false);
                }
                catch (PacsException e)
                {
                    skipped.Add($"SR series {seriesUid}: {e.Message}");
                    continue;
                }
                foreach (var instance in instances)
                {
                    try
                    {
                        if (reports.TryAdd(study, BasicTextSr.ReadText(instance))) found++;
                    }
                    catch (FormatException e)
                    {
                        skipped.Add($"SR {instance.GetString(DicomTags.SOPInstanceUID)}: {e.Message}");
                    }
                }
            }
        }
        log?.Invoke($"PACS {found} SR reports");
    }
}
