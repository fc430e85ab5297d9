using System.Globalization;
using FedNano.Dicom;
using FedNano.DicomService.Core.Query;

namespace FedNano.DicomService.Core.Features.Query;

/// <summary>A QIDO-RS request turned into an index plan and what each result must contain.</summary>
internal sealed class ParsedQuery
{
    public required QueryPlan Plan { get; init; }

    /// <summary>Attributes taken from the index, in the order they are added.</summary>
    public required IReadOnlyList<DicomTag> IndexTags { get; init; }

    /// <summary>Attributes taken from the stored metadata (not in the index at this level).</summary>
    public required IReadOnlyList<DicomTag> MetadataTags { get; init; }

    /// <summary><c>includefield=all</c>.</summary>
    public bool IncludeAll { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    public bool NeedsMetadata => IncludeAll || MetadataTags.Count > 0;
}

/// <summary>Parses and validates QIDO-RS query parameters (PS3.18 §8.3.4, matching per PS3.4 §C.2.2.2).</summary>
internal static class QueryParser
{
    internal static int Rank(ResourceLevel level) => level switch
    {
        ResourceLevel.Study => 0,
        ResourceLevel.Series => 1,
        _ => 2,
    };

    private static string Name(ResourceLevel level) => level switch
    {
        ResourceLevel.Study => "study",
        ResourceLevel.Series => "series",
        _ => "instance",
    };

    /// <summary>True when the index row set of a <paramref name="level"/> query holds <paramref name="attribute"/>.</summary>
    internal static bool InIndexAt(QueryAttribute attribute, ResourceLevel level) => Rank(attribute.Level) <= Rank(level);

    public static ParsedQuery Parse(QueryRequest request, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        var level = request.Level;
        var warnings = new List<string>();
        var matches = new List<(QueryAttribute Attribute, string Value)>();
        var requested = new List<DicomTag>(); // matching keys and includefields, in order
        var includeAll = false;
        var fuzzy = false;
        int? limit = null;
        var offset = 0;

        if (request.StudyInstanceUid is not null)
            matches.Add((QueryAttributes.Get(DicomTags.StudyInstanceUID), CheckRouteUid(request.StudyInstanceUid, "study")));
        if (request.SeriesInstanceUid is not null)
            matches.Add((QueryAttributes.Get(DicomTags.SeriesInstanceUID), CheckRouteUid(request.SeriesInstanceUid, "series")));

        foreach (var (rawKey, rawValue) in request.Parameters)
        {
            var key = rawKey.Trim();
            var value = rawValue ?? "";
            switch (key.ToLowerInvariant())
            {
                case "includefield":
                    foreach (var field in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (string.Equals(field, "all", StringComparison.OrdinalIgnoreCase))
                        {
                            includeAll = true;
                            continue;
                        }
                        if (field.Contains('.', StringComparison.Ordinal))
                        {
                            warnings.Add($"includefield '{field}': attributes inside sequences cannot be selected; the whole sequence is returned when it is included.");
                            continue;
                        }
                        requested.Add(ResolveAttribute(field, "includefield"));
                    }
                    continue;
                case "fuzzymatching":
                    fuzzy = value.Trim().ToLowerInvariant() switch
                    {
                        "true" => true,
                        "false" => false,
                        _ => throw new InvalidRequestException($"fuzzymatching must be 'true' or 'false', not '{value}'."),
                    };
                    continue;
                case "limit":
                    if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var l) || l < 1)
                        throw new InvalidRequestException($"limit must be a positive integer, not '{value}'.");
                    limit = l;
                    continue;
                case "offset":
                    if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var o) || o < 0)
                        throw new InvalidRequestException($"offset must be a non-negative integer, not '{value}'.");
                    offset = o;
                    continue;
            }

            if (key.Contains('.', StringComparison.Ordinal))
            {
                warnings.Add($"Matching on '{key}' (an attribute inside a sequence) is not supported; it was ignored.");
                continue;
            }
            var tag = ResolveAttribute(key, "query parameter");
            requested.Add(tag);
            if (!QueryAttributes.TryGet(tag, out var attribute))
            {
                if (value.Trim().Length > 0 && value.Trim() != "*")
                    warnings.Add($"{Describe(tag)} is not supported for matching; the condition '{value}' was ignored (the attribute is returned).");
                continue;
            }
            if (!InIndexAt(attribute, level))
                throw new InvalidRequestException($"{Describe(tag)} is {(attribute.Level == ResourceLevel.Instance ? "an" : "a")} {Name(attribute.Level)}-level attribute and cannot be matched in a {Name(level)}-level query.");
            if (!attribute.IsMatchable)
            {
                if (value.Trim().Length > 0 && value.Trim() != "*")
                    warnings.Add($"{Describe(tag)} is computed and cannot be matched; the condition '{value}' was ignored.");
                continue;
            }
            matches.Add((attribute, value));
        }

        var filters = new List<QueryFilter>();
        foreach (var (attribute, value) in matches)
            if (BuildFilter(attribute, value, fuzzy) is { } filter) filters.Add(filter);

        var effectiveLimit = limit ?? options.DefaultQueryLimit;
        var max = Math.Max(1, options.MaxQueryLimit);
        if (effectiveLimit > max)
        {
            warnings.Add($"limit {effectiveLimit} is more than this server returns at once; at most {max} results are returned.");
            effectiveLimit = max;
        }

        // Return attributes: the level's defaults (plus the levels above when the URL does not fix them), then what was asked for.
        var defaults = new List<DicomTag>();
        if (level == ResourceLevel.Instance && request.StudyInstanceUid is null) defaults.AddRange(QueryAttributes.DefaultReturn(ResourceLevel.Study));
        if (level == ResourceLevel.Series && request.StudyInstanceUid is null) defaults.AddRange(QueryAttributes.DefaultReturn(ResourceLevel.Study));
        if (level == ResourceLevel.Instance && request.SeriesInstanceUid is null) defaults.AddRange(QueryAttributes.DefaultReturn(ResourceLevel.Series));
        if (level != ResourceLevel.Study) defaults.Add(DicomTags.StudyInstanceUID);
        if (level == ResourceLevel.Instance) defaults.Add(DicomTags.SeriesInstanceUID);
        defaults.AddRange(QueryAttributes.DefaultReturn(level));

        var indexTags = new List<DicomTag>();
        var metadataTags = new List<DicomTag>();
        foreach (var tag in defaults.Concat(requested).Distinct())
        {
            if (QueryAttributes.TryGet(tag, out var a) && InIndexAt(a, level)) indexTags.Add(tag);
            else if (tag != DicomTags.SpecificCharacterSet && tag != DicomTags.InstanceAvailability && tag != DicomTags.RetrieveURL) metadataTags.Add(tag);
        }
        if (includeAll)
        {
            // Everything the index has at this level, on top of the stored metadata.
            foreach (var a in QueryAttributes.All)
                if (InIndexAt(a, level) && !indexTags.Contains(a.Tag)) indexTags.Add(a.Tag);
        }

        var computed = indexTags.Where(t => QueryAttributes.Get(t).IsComputed).ToList();
        var needsMetadata = includeAll || metadataTags.Count > 0;
        var plan = new QueryPlan(level, filters, offset, effectiveLimit, needsMetadata && level != ResourceLevel.Instance, computed);
        return new ParsedQuery { Plan = plan, IndexTags = indexTags, MetadataTags = metadataTags, IncludeAll = includeAll, Warnings = warnings };
    }

    private static string CheckRouteUid(string uid, string what) =>
        DicomUid.Validate(uid) is { } problem ? throw new InvalidRequestException($"The {what} UID '{uid}' in the URL is not valid: {problem}.") : uid;

    internal static string Describe(DicomTag tag)
    {
        var keyword = DicomDictionary.GetKeyword(tag);
        return keyword.Length > 0 ? $"{keyword} {tag}" : tag.ToString();
    }

    /// <summary>A keyword (<c>PatientName</c>, also in other letter case) or a tag (<c>00100010</c>, <c>(0010,0010)</c>).</summary>
    internal static DicomTag ResolveAttribute(string id, string what)
    {
        if (DicomTag.TryParse(id, out var tag))
        {
            if (tag.IsPrivate || DicomDictionary.TryGet(tag, out _)) return tag;
            throw new InvalidRequestException($"Unknown {what} '{id}': {tag} is not a DICOM attribute.");
        }
        if (DicomDictionary.TryGet(id, out var entry) && !entry.IsRange) return entry.Tag;
        var known = QueryAttributes.All.FirstOrDefault(a => string.Equals(a.Keyword, id, StringComparison.OrdinalIgnoreCase));
        if (known is not null) return known.Tag;
        throw new InvalidRequestException(
            $"Unknown {what} '{id}': it is neither a DICOM keyword or tag (e.g. PatientName or 00100010) nor one of includefield, fuzzymatching, limit, offset.");
    }

    /// <summary>A DT value with a <c>-ZZZZ</c> offset (one hyphen after at least YYYYMMDDHH, four digits after it), not a range.</summary>
    private static bool LooksLikeUtcOffset(string value)
    {
        var i = value.IndexOf('-', StringComparison.Ordinal);
        return i >= 10 && i == value.LastIndexOf('-') && value.Length - i - 1 == 4 && value[(i + 1)..].All(char.IsAsciiDigit);
    }

    private static bool HasWildcard(string s) => s.Contains('*', StringComparison.Ordinal) || s.Contains('?', StringComparison.Ordinal);

    private static string[] SplitList(string value) =>
        value.Split([',', '\\'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static QueryFilter? BuildFilter(QueryAttribute a, string rawValue, bool fuzzy)
    {
        var value = rawValue.Trim();
        if (value.Length == 0 || value == "*") return null; // universal matching: the attribute is only returned
        var name = Describe(a.Tag);
        InvalidRequestException Bad(string why) => new($"{name} value '{rawValue}' is invalid: {why}.");

        switch (a.Kind)
        {
            case QueryValueKind.Uid:
                {
                    if (HasWildcard(value)) throw Bad("wildcards are not allowed for UIDs; give one UID or a comma-separated list");
                    var uids = SplitList(value);
                    foreach (var uid in uids)
                        if (DicomUid.Validate(uid) is { } problem) throw Bad($"'{uid}' is not a valid UID ({problem})");
                    return uids.Length == 1
                        ? new QueryFilter(a, QueryMatchKind.Single, uids)
                        : new QueryFilter(a, QueryMatchKind.List, uids.Distinct(StringComparer.Ordinal).ToArray());
                }
            case QueryValueKind.Code:
                {
                    var codes = SplitList(value.ToUpperInvariant());
                    if (codes.Length == 1)
                        return new QueryFilter(a, HasWildcard(codes[0]) ? QueryMatchKind.Wildcard : QueryMatchKind.Single, codes);
                    if (codes.Any(HasWildcard)) throw Bad("a list of values cannot contain wildcards");
                    return new QueryFilter(a, QueryMatchKind.List, codes);
                }
            case QueryValueKind.Integer:
                {
                    var numbers = SplitList(value);
                    var parsed = new List<string>();
                    foreach (var n in numbers)
                    {
                        if (!long.TryParse(n, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)) throw Bad($"'{n}' is not an integer");
                        parsed.Add(v.ToString(CultureInfo.InvariantCulture));
                    }
                    return new QueryFilter(a, parsed.Count == 1 ? QueryMatchKind.Single : QueryMatchKind.List, parsed);
                }
            case QueryValueKind.PersonName:
                {
                    if (fuzzy && !value.Contains('?', StringComparison.Ordinal))
                    {
                        var tokens = value.Replace("*", " ", StringComparison.Ordinal).ToUpperInvariant()
                            .Split(['^', '=', ' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        return tokens.Length == 0 ? null : new QueryFilter(a, QueryMatchKind.Fuzzy, tokens);
                    }
                    if (HasWildcard(value)) return new QueryFilter(a, QueryMatchKind.Wildcard, [value.ToUpperInvariant()]);
                    var normalized = QueryValues.NormalizePersonName(value);
                    return normalized is null ? null : new QueryFilter(a, QueryMatchKind.Single, [normalized]);
                }
            case QueryValueKind.Date:
                {
                    if (value.Contains('-', StringComparison.Ordinal))
                    {
                        var parts = value.Split('-');
                        if (parts.Length != 2) throw Bad("a date range is YYYYMMDD-YYYYMMDD, YYYYMMDD- or -YYYYMMDD");
                        var low = parts[0].Length == 0 ? null : QueryValues.NormalizeDate(parts[0]) ?? throw Bad($"'{parts[0]}' is not a date (YYYYMMDD)");
                        var high = parts[1].Length == 0 ? null : QueryValues.NormalizeDate(parts[1]) ?? throw Bad($"'{parts[1]}' is not a date (YYYYMMDD)");
                        if (low is null && high is null) return null;
                        if (low is not null && high is not null && string.CompareOrdinal(low, high) > 0) throw Bad("the range ends before it starts");
                        return new QueryFilter(a, QueryMatchKind.Range, [], low, high);
                    }
                    if (HasWildcard(value)) throw Bad("wildcards are not allowed for dates");
                    var date = QueryValues.NormalizeDate(value) ?? throw Bad("not a date (YYYYMMDD) or date range");
                    return new QueryFilter(a, QueryMatchKind.Single, [date]);
                }
            case QueryValueKind.Time or QueryValueKind.DateTime:
                {
                    var time = a.Kind == QueryValueKind.Time;
                    Func<string, bool, string?> normalize = time ? QueryValues.NormalizeTime : QueryValues.NormalizeDateTime;
                    var format = time ? "HHMMSS.FFFFFF" : "YYYYMMDDHHMMSS.FFFFFF";
                    if (HasWildcard(value)) throw Bad($"wildcards are not allowed for {(time ? "times" : "date times")}");
                    // A DT value may carry a -ZZZZ offset; take it as a single value when it reads as one.
                    if (!value.Contains('-', StringComparison.Ordinal) || (!time && LooksLikeUtcOffset(value)))
                    {
                        var low = normalize(value, false) ?? throw Bad($"not a {(time ? "time" : "date time")} ({format}) or range");
                        return new QueryFilter(a, QueryMatchKind.Single, [value], low, normalize(value, true));
                    }
                    for (var i = value.IndexOf('-', StringComparison.Ordinal); i >= 0; i = value.IndexOf('-', i + 1))
                    {
                        var left = value[..i];
                        var right = value[(i + 1)..];
                        var low = left.Length == 0 ? null : normalize(left, false);
                        var high = right.Length == 0 ? null : normalize(right, true);
                        if ((left.Length == 0 || low is not null) && (right.Length == 0 || high is not null))
                        {
                            if (low is null && high is null) return null;
                            if (low is not null && high is not null && string.CompareOrdinal(low, high) > 0) throw Bad("the range ends before it starts");
                            return new QueryFilter(a, QueryMatchKind.Range, [], low, high);
                        }
                    }
                    throw Bad($"not a {(time ? "time" : "date time")} range ({format}-{format}, {format}- or -{format})");
                }
            default:
                return new QueryFilter(a, HasWildcard(value) ? QueryMatchKind.Wildcard : QueryMatchKind.Single, [value]);
        }
    }
}
