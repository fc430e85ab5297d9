using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace FedNano.Dicom;

/// <summary>One media range of an Accept header with its weight.</summary>
public sealed class AcceptEntry
{
    internal AcceptEntry(MediaTypeValue range, double quality, int order)
    {
        MediaRange = range;
        Quality = quality;
        Order = order;
    }

    /// <summary>The media range with its parameters (e.g. <c>transfer-syntax</c>), without <c>q</c>.</summary>
    public MediaTypeValue MediaRange { get; }

    /// <summary>The weight <c>q</c>, 0 to 1 (1 when absent).</summary>
    public double Quality { get; }

    /// <summary>Zero-based position of the range in the header(s) as sent.</summary>
    public int Order { get; }

    /// <summary>2 for <c>type/subtype</c>, 1 for <c>type/*</c>, 0 for <c>*/*</c>.</summary>
    public int Specificity => MediaRange.Type == "*" ? 0 : MediaRange.SubType == "*" ? 1 : 2;

    /// <summary>
    /// Whether this range covers <paramref name="representation"/>: the type and subtype match (or are wildcards) and
    /// every parameter of the range that the representation also has is equal (case-insensitive) or is <c>*</c> in the
    /// range. A range parameter the representation does not declare (e.g. <c>charset</c>) does not prevent a match.
    /// </summary>
    public bool Matches(MediaTypeValue representation) => Match(representation, out _, out _);

    /// <summary>Matches and counts how many range parameters constrained the match, and how many matched literally.</summary>
    internal bool Match(MediaTypeValue representation, out int constrained, out int literal)
    {
        ArgumentNullException.ThrowIfNull(representation);
        constrained = literal = 0;
        var range = MediaRange;
        if (range.Type != "*" && range.Type != representation.Type) return false;
        if (range.SubType != "*" && range.SubType != representation.SubType) return false;
        foreach (var (name, value) in range.Parameters)
        {
            var offered = representation.GetParameter(name);
            if (offered is null) continue;
            constrained++;
            if (string.Equals(value, offered, StringComparison.OrdinalIgnoreCase))
                literal++;
            else if (value != "*")
                return false;
        }
        return true;
    }

    /// <inheritdoc />
    public override string ToString() =>
        Quality == 1 ? MediaRange.ToString() : MediaRange + "; q=" + Quality.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>The outcome of content negotiation: the representation to produce and the Accept range that chose it.</summary>
/// <param name="Representation">One of the offered representations (for <see cref="AcceptHeader.NegotiateTransferSyntax"/>, with the concrete <c>transfer-syntax</c>).</param>
/// <param name="Range">The Accept entry that matched it.</param>
/// <param name="Index">Position of the representation in the offered list.</param>
public sealed record AcceptMatch(MediaTypeValue Representation, AcceptEntry Range, int Index)
{
    /// <summary>The <c>transfer-syntax</c> parameter of the chosen representation, if it has one.</summary>
    public string? TransferSyntax => Representation.GetParameter(DicomWebMediaTypes.TransferSyntaxParameter);
}

/// <summary>
/// A parsed Accept header (RFC 9110 §12.5.1) and content negotiation against the representations a resource offers.
/// </summary>
/// <remarks>
/// Several header lines and comma-separated values are combined in order. Empty list elements are skipped; an absent or
/// empty header means <c>*/*</c>. Entries are ordered by <c>q</c> (descending), then specificity, then position.
/// </remarks>
public sealed class AcceptHeader
{
    private readonly AcceptEntry[] _all;

    private AcceptHeader(AcceptEntry[] all, bool isAbsent)
    {
        _all = all;
        IsAbsent = isAbsent;
        Entries = all.Where(e => e.Quality > 0)
            .OrderByDescending(e => e.Quality)
            .ThenByDescending(e => e.Specificity)
            .ThenByDescending(e => e.MediaRange.Parameters.Count)
            .ThenBy(e => e.Order)
            .ToArray();
        Excluded = all.Where(e => e.Quality == 0).ToArray();
    }

    /// <summary>The acceptable ranges (q &gt; 0), best first.</summary>
    public IReadOnlyList<AcceptEntry> Entries { get; }

    /// <summary>The ranges the client refuses (q=0), in header order; they override less specific acceptable ranges.</summary>
    public IReadOnlyList<AcceptEntry> Excluded { get; }

    /// <summary>True when no (or only an empty) Accept header was given; <see cref="Entries"/> is then <c>*/*</c>.</summary>
    public bool IsAbsent { get; }

    /// <summary>Parses one Accept header value; null or blank means <c>*/*</c>.</summary>
    /// <exception cref="FormatException">A malformed range or q value; the message says which and where.</exception>
    public static AcceptHeader Parse(string? value) => ParseAll([value]);

    /// <summary>
    /// Parses several Accept header lines (e.g. ASP.NET's <c>StringValues</c>, or the header lines plus a DICOMweb
    /// <c>accept</c> query parameter) as one list.
    /// </summary>
    /// <exception cref="FormatException">A malformed range or q value; the message says which and where.</exception>
    public static AcceptHeader ParseAll(IEnumerable<string?> values)
    {
        if (!TryParseAll(values, out var header, out var error))
            throw new FormatException(error);
        return header;
    }

    /// <summary>Parses one Accept header value; false when malformed.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out AcceptHeader? header) => TryParseAll([value], out header, out _);

    /// <summary>Parses several Accept header lines; false, with the reason in <paramref name="error"/>, when malformed.</summary>
    public static bool TryParseAll(IEnumerable<string?> values, [NotNullWhen(true)] out AcceptHeader? header, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(values);
        header = null;
        var entries = new List<AcceptEntry>();
        foreach (var value in values)
        {
            if (value is null) continue;
            var pos = 0;
            while (true)
            {
                pos = HttpSyntax.SkipWhitespace(value, pos);
                if (pos >= value.Length) break;
                if (value[pos] == ',')
                {
                    pos++;
                    continue; // empty list element
                }
                if (!MediaTypeValue.TryParse(value, ref pos, inList: true, out var range, out error))
                {
                    error = "Invalid Accept header: " + error;
                    return false;
                }
                if (!TrySplitQuality(range, out var rangeWithoutQ, out var q, out error))
                {
                    error = $"Invalid Accept header '{value}': {error}";
                    return false;
                }
                entries.Add(new AcceptEntry(rangeWithoutQ, q, entries.Count));
                // TryParse stopped at the end or before a ','.
            }
        }
        var absent = entries.Count == 0;
        if (absent) entries.Add(new AcceptEntry(new MediaTypeValue("*/*"), 1, 0));
        header = new AcceptHeader([.. entries], absent);
        error = null;
        return true;
    }

    private static bool TrySplitQuality(MediaTypeValue range, out MediaTypeValue withoutQ, out double q, [NotNullWhen(false)] out string? error)
    {
        withoutQ = range;
        q = 1;
        error = null;
        var text = range.GetParameter("q");
        if (text is null) return true;
        if (!TryParseQuality(text, out q))
        {
            error = $"'{text}' is not a valid q value (0 to 1 with at most three decimals) for '{range.MediaType}'.";
            return false;
        }
        withoutQ = range.WithParameter("q", null);
        return true;
    }

    /// <summary>qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ); a leading "." (as Java sends) is tolerated.</summary>
    private static bool TryParseQuality(string s, out double q)
    {
        q = 0;
        var span = s.AsSpan();
        int whole;
        if (span.Length > 0 && span[0] is '0' or '1')
        {
            whole = span[0] - '0';
            span = span[1..];
        }
        else if (span.Length > 1 && span[0] == '.')
            whole = 0;
        else
            return false;
        var thousandths = 0;
        if (!span.IsEmpty)
        {
            if (span[0] != '.' || span.Length > 4) return false;
            var digits = span[1..];
            for (var i = 0; i < 3; i++)
            {
                thousandths *= 10;
                if (i < digits.Length)
                {
                    if (digits[i] is < '0' or > '9') return false;
                    thousandths += digits[i] - '0';
                }
            }
        }
        if (whole == 1 && thousandths != 0) return false;
        q = whole + thousandths / 1000.0;
        return true;
    }

    /// <summary>Whether any acceptable range covers <paramref name="representation"/> and no more specific q=0 range refuses it.</summary>
    public bool Accepts(MediaTypeValue representation) => Negotiate([representation]) is not null;

    /// <summary>
    /// Picks the best of the representations a resource can produce, or null when none is acceptable (answer 406).
    /// </summary>
    /// <remarks>
    /// Each representation gets the weight of the most specific range that matches it (RFC 9110: more parameters and a
    /// concrete type beat wildcards; a q=0 range there makes it unacceptable). The highest weight wins; ties go to the
    /// representation whose range comes first in <see cref="Entries"/>, then to the one matching more range parameters
    /// literally (so a range <c>transfer-syntax=*</c> prefers a representation that offers <c>transfer-syntax=*</c>
    /// itself), then to the earlier representation in <paramref name="available"/> — list the resource default first,
    /// and <c>*/*</c> or an absent header yields it.
    /// </remarks>
    public AcceptMatch? Negotiate(IEnumerable<MediaTypeValue> available)
    {
        ArgumentNullException.ThrowIfNull(available);
        AcceptMatch? best = null;
        double bestQuality = 0;
        int bestRank = 0, bestLiteral = 0;
        var rank = new Dictionary<AcceptEntry, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < Entries.Count; i++) rank[Entries[i]] = i;
        var index = 0;
        foreach (var representation in available)
        {
            ArgumentNullException.ThrowIfNull(representation);
            var entry = MostSpecificMatch(representation, out var literal);
            if (entry is not null && entry.Quality > 0)
            {
                var q = entry.Quality;
                var r = rank[entry];
                if (best is null || q > bestQuality || (q == bestQuality && (r < bestRank || (r == bestRank && literal > bestLiteral))))
                {
                    best = new AcceptMatch(representation, entry, index);
                    (bestQuality, bestRank, bestLiteral) = (q, r, literal);
                }
            }
            index++;
        }
        return best;
    }

    /// <summary>Parses each of <paramref name="available"/> as a media type and negotiates as <see cref="Negotiate(IEnumerable{MediaTypeValue})"/>.</summary>
    public AcceptMatch? Negotiate(params string[] available)
    {
        ArgumentNullException.ThrowIfNull(available);
        return Negotiate(available.Select(MediaTypeValue.Parse));
    }

    /// <summary>
    /// Negotiates a DICOM representation and its transfer syntax, per PS3.18 §8.7.3.5: a range without
    /// <c>transfer-syntax</c> (and <c>*/*</c>) gets <paramref name="defaultTransferSyntax"/> when it can be produced (else the
    /// stored one), <c>transfer-syntax=*</c> gets the stored syntax, and an explicit UID gets that syntax if it is
    /// producible. Null when nothing acceptable can be produced (answer 406).
    /// </summary>
    /// <param name="families">The media types without <c>transfer-syntax</c>, in server preference, e.g.
    /// <c>multipart/related; type="application/dicom"</c>.</param>
    /// <param name="storedTransferSyntax">UID of the transfer syntax as stored (always producible).</param>
    /// <param name="producibleTransferSyntaxes">UIDs the server can transcode the stored data to.</param>
    /// <param name="defaultTransferSyntax">The default when none is asked for; Explicit VR Little Endian.</param>
    /// <returns>The match; its <see cref="AcceptMatch.Representation"/> is a family with the concrete
    /// <c>transfer-syntax</c> parameter (never <c>*</c>) and <see cref="AcceptMatch.TransferSyntax"/> is that UID.</returns>
    public AcceptMatch? NegotiateTransferSyntax(IEnumerable<MediaTypeValue> families, string storedTransferSyntax,
        IEnumerable<string> producibleTransferSyntaxes, string defaultTransferSyntax = DicomWebMediaTypes.ExplicitVRLittleEndian)
    {
        ArgumentNullException.ThrowIfNull(families);
        ArgumentException.ThrowIfNullOrEmpty(storedTransferSyntax);
        ArgumentNullException.ThrowIfNull(producibleTransferSyntaxes);
        var producible = producibleTransferSyntaxes.ToHashSet(StringComparer.Ordinal);
        // Order within a family: default, "*" (= stored), stored, the others.
        var syntaxes = new List<string>();
        if (producible.Contains(defaultTransferSyntax) || defaultTransferSyntax == storedTransferSyntax) syntaxes.Add(defaultTransferSyntax);
        syntaxes.Add("*");
        if (!syntaxes.Contains(storedTransferSyntax)) syntaxes.Add(storedTransferSyntax);
        foreach (var uid in producibleTransferSyntaxes)
            if (!syntaxes.Contains(uid)) syntaxes.Add(uid);

        var offered = new List<MediaTypeValue>();
        foreach (var family in families)
        {
            ArgumentNullException.ThrowIfNull(family);
            foreach (var uid in syntaxes)
                offered.Add(family.WithParameter(DicomWebMediaTypes.TransferSyntaxParameter, uid));
        }
        var match = Negotiate(offered);
        if (match is null) return null;
        if (match.TransferSyntax == "*")
            match = match with { Representation = match.Representation.WithParameter(DicomWebMediaTypes.TransferSyntaxParameter, storedTransferSyntax) };
        return match;
    }

    private AcceptEntry? MostSpecificMatch(MediaTypeValue representation, out int literal)
    {
        AcceptEntry? best = null;
        (int Specificity, int Constrained, int Literal) bestKey = default;
        literal = 0;
        foreach (var entry in _all)
        {
            if (!entry.Match(representation, out var constrained, out var lit)) continue;
            var key = (entry.Specificity, constrained, lit);
            if (best is null || key.CompareTo(bestKey) > 0)
            {
                best = entry;
                bestKey = key;
                literal = lit;
            }
        }
        return best;
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", _all.Select(e => e.ToString()));
}
