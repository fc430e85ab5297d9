using System.Globalization;
using FedNano.Dicom;
using FedNano.DicomService.Core.Query;
using FedNano.DicomService.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Core.Features.Query;

/// <summary>
/// QIDO-RS over the index. Results hold the level's default return attributes (PS3.18 Tables 10.6.3-3/4/5, and those of
/// the levels above when the URL does not fix them), the matching keys and the <c>includefield</c> attributes. Values
/// come from the index; attributes it does not hold (and <c>includefield=all</c>) come from the metadata stored at
/// ingest for the instance, or for studies and series from their first stored instance. Text is returned as UTF-8
/// (Specific Character Set <c>ISO_IR 192</c>). Retrieve URL (0008,1190) is left to the host, which knows its base URL.
/// </summary>
public sealed class QueryService : IQueryService
{
    private readonly IIndexStore _index;
    private readonly StorageOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    public QueryService(IIndexStore index, IOptions<StorageOptions> options, ILogger<QueryService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _index = index;
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<QueryResult> SearchAsync(QueryRequest request, CancellationToken cancellationToken)
    {
        var parsed = QueryParser.Parse(request, _options);
        var page = await _index.QueryAsync(parsed.Plan, cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<long, byte[]> metadata = new Dictionary<long, byte[]>();
        if (parsed.NeedsMetadata)
        {
            var keys = page.Rows.Where(r => r.Watermark is not null).Select(r => r.Watermark!.Value).ToList();
            metadata = await _index.GetMetadataAsync(keys, cancellationToken).ConfigureAwait(false);
        }
        var results = new List<DicomDataset>(page.Rows.Count);
        foreach (var row in page.Rows)
        {
            DicomDataset? stored = null;
            if (row.Watermark is { } w && metadata.TryGetValue(w, out var json))
            {
                try
                {
                    stored = DicomJsonReader.Deserialize(json);
                }
                catch (DicomDataException ex)
                {
                    _logger.LogWarning(ex, "Stored metadata of watermark {Watermark} cannot be read.", w);
                }
            }
            results.Add(Build(request.Level, row, parsed, stored));
        }
        return new QueryResult(results, page.HasMore, parsed.Warnings);
    }

    private static bool IsBulk(DicomItem item) => item is DicomFragmentSequence || item is DicomElement { Value: BulkDataUriByteSource };

    private static DicomDataset Build(ResourceLevel level, QueryRow row, ParsedQuery parsed, DicomDataset? stored)
    {
        var result = new DicomDataset();
        result.AddOrUpdate(new DicomElement(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192"u8.ToArray()));

        if (stored is not null && parsed.IncludeAll)
        {
            foreach (var item in stored.Items.ToList())
            {
                if (item.Tag == DicomTags.SpecificCharacterSet || IsBulk(item)) continue;
                // Identity attributes of levels below the query level would describe one instance, not the study or series.
                if (QueryAttributes.TryGet(item.Tag, out var a) && !QueryParser.InIndexAt(a, level)) continue;
                result.AddOrUpdate(item);
            }
        }
        foreach (var tag in parsed.MetadataTags)
        {
            if (stored?.GetItem(tag) is { } item && !IsBulk(item)) result.AddOrUpdate(item);
            else if (!result.Contains(tag)) AddEmpty(result, tag);
        }

        foreach (var tag in parsed.IndexTags)
        {
            var value = row.Values.GetValueOrDefault(tag);
            if (value is null)
            {
                if (tag == DicomTags.TimezoneOffsetFromUTC || result.Contains(tag)) continue;
                AddEmpty(result, tag);
                continue;
            }
            AddValue(result, QueryAttributes.Get(tag), value);
        }
        if (level != ResourceLevel.Series)
            result.AddOrUpdate(new DicomElement(DicomTags.InstanceAvailability, DicomVR.CS, "ONLINE"u8.ToArray()));
        return result;
    }

    private static void AddEmpty(DicomDataset dataset, DicomTag tag)
    {
        var vr = DicomDictionary.GetVR(tag);
        dataset.AddOrUpdate(vr == DicomVR.SQ ? new DicomSequence(tag) : new DicomElement(tag, vr == DicomVR.None ? DicomVR.UN : vr, ReadOnlyMemory<byte>.Empty));
    }

    private static void AddValue(DicomDataset dataset, QueryAttribute attribute, string value)
    {
        try
        {
            if (attribute.VR is DicomVR.US or DicomVR.UL or DicomVR.SS or DicomVR.SL)
                dataset.AddOrUpdate(attribute.Tag, attribute.VR, long.Parse(value, CultureInfo.InvariantCulture));
            else
                dataset.AddOrUpdate(attribute.Tag, attribute.VR, value);
        }
        catch (Exception ex) when (ex is DicomDataException or FormatException or OverflowException)
        {
            AddEmpty(dataset, attribute.Tag); // a stored value that cannot be re-encoded as its VR
        }
    }
}
