using FedNano.Dicom;

namespace FedNano.DicomService.Core.Query;

/// <summary>How one attribute is matched (PS3.4 §C.2.2.2).</summary>
public enum QueryMatchKind
{
    /// <summary>Single value matching (for TM and DT: the range the value's precision covers).</summary>
    Single,
    /// <summary>List of UID (or code, or integer) matching: any of <see cref="QueryFilter.Values"/>.</summary>
    List,
    /// <summary>Wildcard matching: <c>*</c> any run of characters, <c>?</c> one character.</summary>
    Wildcard,
    /// <summary>Range matching between <see cref="QueryFilter.Low"/> and <see cref="QueryFilter.High"/> (either may be open).</summary>
    Range,
    /// <summary>Fuzzy person name matching: every token is a case-insensitive prefix of some name component.</summary>
    Fuzzy,
}

/// <summary>One matching condition, with values already normalized to the index's form.</summary>
/// <param name="Attribute">The attribute.</param>
/// <param name="Kind">How to match.</param>
/// <param name="Values">
/// Single/List: the normalized values (upper-case for person names, <c>YYYYMMDD</c> for dates, decimal for integers).
/// Wildcard: one pattern using <c>*</c> and <c>?</c>. Fuzzy: the upper-case tokens.
/// </param>
/// <param name="Low">Range (and Single TM/DT): the normalized lower bound, or null when open.</param>
/// <param name="High">Range (and Single TM/DT): the normalized upper bound, or null when open.</param>
public sealed record QueryFilter(QueryAttribute Attribute, QueryMatchKind Kind, IReadOnlyList<string> Values, string? Low = null, string? High = null);

/// <summary>A validated QIDO-RS query the index executes.</summary>
/// <param name="Level">What is searched for.</param>
/// <param name="Filters">All conditions (AND).</param>
/// <param name="Offset">Matches to skip.</param>
/// <param name="Limit">Most matches to return.</param>
/// <param name="IncludeFirstInstance">Return, for each study or series, the watermark of its first created instance (to read its metadata).</param>
/// <param name="ComputedAttributes">The computed attributes (<see cref="QueryAttribute.IsComputed"/>) to return: counts and Modalities in Study.</param>
public sealed record QueryPlan(ResourceLevel Level, IReadOnlyList<QueryFilter> Filters, int Offset, int Limit, bool IncludeFirstInstance,
    IReadOnlyCollection<DicomTag> ComputedAttributes);

/// <summary>One match: the index values of its level and the levels above it.</summary>
/// <param name="Watermark">For instance-level queries the instance's watermark; for study and series queries the first instance's watermark when asked for.</param>
/// <param name="Values">Values by tag as text (integers in decimal, Modalities in Study joined with backslash); null when empty.</param>
public sealed record QueryRow(long? Watermark, IReadOnlyDictionary<DicomTag, string?> Values);

/// <summary>A page of matches in stable order.</summary>
/// <param name="Rows">The matches.</param>
/// <param name="HasMore">More matches follow the page.</param>
public sealed record QueryPage(IReadOnlyList<QueryRow> Rows, bool HasMore);
