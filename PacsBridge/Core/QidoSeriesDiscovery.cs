using System.Globalization;
using FedNano.Dicom;

namespace FedNano.PacsBridge;

/// <summary>
/// Generic discovery for any DICOMweb PACS: QIDO-RS at series level, by modality and a study-date window that starts
/// <see cref="DiscoveryOptions.LookbackDays"/> before the last successful pass (the persisted watermark), paged.
/// </summary>
public sealed class QidoSeriesDiscovery(DicomWebClient source, BridgeStateStore state, DiscoveryOptions options, TimeProvider? time = null) : ISeriesDiscovery
{
    private const string Watermark = "qido-last-pass-date";
    private const int Page = 500;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public async Task<IReadOnlyList<SeriesCandidate>> DiscoverAsync(CancellationToken cancellationToken)
    {
        var today = _time.GetUtcNow().UtcDateTime.Date;
        var query = new List<KeyValuePair<string, string>> { new("includefield", "0008103E,00201209,00080054") };
        if (!string.IsNullOrEmpty(options.Modality)) query.Add(new("Modality", options.Modality));
        if (options.LookbackDays > 0)
        {
            var last = state.GetWatermark(Watermark) is { } w ? DateTime.ParseExact(w, "yyyyMMdd", CultureInfo.InvariantCulture) : today;
            query.Add(new("StudyDate", last.AddDays(-options.LookbackDays).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-"));
        }
        var found = new List<SeriesCandidate>();
        for (int offset = 0; ; offset += Page)
        {
            var page = await source.SearchSeriesAsync(null, [.. query, new("limit", Page.ToString(CultureInfo.InvariantCulture)), new("offset", offset.ToString(CultureInfo.InvariantCulture))],
                cancellationToken).ConfigureAwait(false);
            foreach (var ds in page)
            {
                if (ds.GetString(DicomTags.StudyInstanceUID) is not { } study || ds.GetString(DicomTags.SeriesInstanceUID) is not { } series) continue;
                found.Add(new SeriesCandidate(study, series, ds.GetString(DicomTags.Modality), ds.GetString(DicomTags.SeriesDescription),
                    ds.TryGetValue<int>(DicomTags.NumberOfSeriesRelatedInstances, out var n) ? n : null, ds.GetString(DicomTags.RetrieveAETitle)));
            }
            if (page.Count < Page) break;
        }
        state.SetWatermark(Watermark, today.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        return found;
    }
}
