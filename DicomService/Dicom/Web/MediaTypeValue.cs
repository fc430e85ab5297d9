using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace FedNano.Dicom;

/// <summary>
/// A media type with parameters (RFC 9110 §8.3.1), e.g. <c>multipart/related; type="application/dicom"; boundary=abc</c>.
/// Type, subtype and parameter names are case-insensitive and stored lower-case; parameter values keep their case.
/// </summary>
/// <remarks>
/// Parsing follows the RFC grammar (tokens, quoted strings with <c>\</c> escapes, optional whitespace around <c>;</c>) with
/// two tolerances real DICOMweb clients need: an unquoted value may contain <c>/</c> and other visible characters
/// except <c>" ; , \</c> (so <c>type=application/dicom</c> is accepted), and whitespace around <c>=</c> is skipped.
/// Anything else malformed (no subtype, unterminated quotes, a parameter without <c>=</c> or value, control characters,
/// text after a quoted value) is rejected with a <see cref="FormatException"/> naming the position.
/// </remarks>
public sealed class MediaTypeValue
{
    private readonly KeyValuePair<string, string>[] _parameters;

    /// <summary>Creates a media type from <c>type/subtype</c> and optional parameters (names are lower-cased).</summary>
    /// <param name="mediaType">The media type without parameters, e.g. <c>application/dicom</c>, or a range such as <c>image/*</c>.</param>
    /// <param name="parameters">Parameters in order; a value may be any text without control characters (it is quoted when written).</param>
    /// <exception cref="ArgumentException">The media type is not <c>token/token</c>, or a parameter name is not a token or a value has control characters.</exception>
    public MediaTypeValue(string mediaType, IEnumerable<KeyValuePair<string, string>>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        var slash = mediaType.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == mediaType.Length - 1
            || !HttpSyntax.IsToken(mediaType.AsSpan(0, slash)) || !HttpSyntax.IsToken(mediaType.AsSpan(slash + 1)))
            throw new ArgumentException($"'{mediaType}' is not a media type of the form type/subtype.", nameof(mediaType));
        Type = mediaType[..slash].ToLowerInvariant();
        SubType = mediaType[(slash + 1)..].ToLowerInvariant();
        if (Type == "*" && SubType != "*")
            throw new ArgumentException($"'{mediaType}': a wildcard type needs a wildcard subtype (*/*).", nameof(mediaType));
        var list = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in parameters ?? [])
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(value);
            if (!HttpSyntax.IsToken(name))
                throw new ArgumentException($"'{name}' is not a valid parameter name.", nameof(parameters));
            if (!HttpSyntax.IsQuotable(value))
                throw new ArgumentException($"The value of parameter '{name}' contains control characters.", nameof(parameters));
            list.Add(new(name.ToLowerInvariant(), value));
        }
        _parameters = [.. list];
    }

    private MediaTypeValue(string type, string subType, KeyValuePair<string, string>[] parameters)
    {
        Type = type;
        SubType = subType;
        _parameters = parameters;
    }

    /// <summary>The top-level type, lower-case (<c>multipart</c>); <c>*</c> in a wildcard range.</summary>
    public string Type { get; }

    /// <summary>The subtype, lower-case (<c>related</c>); <c>*</c> in a wildcard range.</summary>
    public string SubType { get; }

    /// <summary><c>type/subtype</c> without parameters, lower-case.</summary>
    public string MediaType => Type + "/" + SubType;

    /// <summary>The parameters in their original order; names lower-case, values unquoted and unescaped.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters => _parameters;

    /// <summary>True for <c>*/*</c> and <c>type/*</c> ranges.</summary>
    public bool IsWildcard => SubType == "*";

    /// <summary>The value of the first parameter called <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? GetParameter(string name)
    {
        foreach (var (n, v) in _parameters)
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
                return v;
        return null;
    }

    /// <summary>Whether <c>type/subtype</c> equals <paramref name="mediaType"/> (case-insensitive, parameters ignored).</summary>
    public bool HasMediaType(string mediaType) => string.Equals(MediaType, mediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>A copy with parameter <paramref name="name"/> replaced (kept in place), appended, or removed when <paramref name="value"/> is null.</summary>
    public MediaTypeValue WithParameter(string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        var list = new List<KeyValuePair<string, string>>(_parameters.Length + 1);
        var replaced = false;
        foreach (var p in _parameters)
        {
            if (!string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase))
                list.Add(p);
            else if (value is not null && !replaced)
            {
                list.Add(new(p.Key, value));
                replaced = true;
            }
        }
        if (value is not null && !replaced)
            list.Add(new(name, value));
        return new MediaTypeValue(MediaType, list);
    }

    /// <summary>Parses a Content-Type style value (one media type with parameters).</summary>
    /// <exception cref="FormatException">The value is not a valid media type; the message says where and why.</exception>
    public static MediaTypeValue Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var pos = 0;
        if (!TryParse(value, ref pos, inList: false, out var result, out var error))
            throw new FormatException(error);
        return result;
    }

    /// <summary>Parses a Content-Type style value; false (and a null result) when it is missing or malformed.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out MediaTypeValue? result)
    {
        result = null;
        if (value is null) return false;
        var pos = 0;
        return TryParse(value, ref pos, inList: false, out result, out _);
    }

    /// <summary>
    /// Parses one media type (or range) starting at <paramref name="pos"/>. In a list, stops before a top-level comma;
    /// otherwise the whole string must be consumed. On failure <paramref name="error"/> says what is wrong and where.
    /// </summary>
    internal static bool TryParse(string s, ref int pos, bool inList, [NotNullWhen(true)] out MediaTypeValue? result,
        [NotNullWhen(false)] out string? error)
    {
        result = null;
        var quoted = Quote(s);
        pos = HttpSyntax.SkipWhitespace(s, pos);
        var typeStart = pos;
        pos = HttpSyntax.SkipToken(s, pos);
        if (pos == typeStart)
        {
            error = pos >= s.Length || (inList && s[pos] == ',')
                ? $"{quoted}: expected a media type (type/subtype)."
                : $"{quoted}: expected a media type (type/subtype) at position {pos}, found '{Printable(s[pos])}'.";
            return false;
        }
        var type = s[typeStart..pos].ToLowerInvariant();
        string subType;
        if (pos < s.Length && s[pos] == '/')
        {
            var subStart = ++pos;
            pos = HttpSyntax.SkipToken(s, pos);
            if (pos == subStart)
            {
                error = $"{quoted}: media type '{type}/' has no subtype.";
                return false;
            }
            subType = s[subStart..pos].ToLowerInvariant();
        }
        else if (inList && type == "*")
        {
            subType = "*"; // "*" alone, as sent by Java's HttpURLConnection, means */*
        }
        else
        {
            error = $"{quoted}: media type '{type}' has no '/subtype'.";
            return false;
        }
        if (type == "*" && subType != "*")
        {
            error = $"{quoted}: a wildcard type needs a wildcard subtype (*/*).";
            return false;
        }

        var parameters = new List<KeyValuePair<string, string>>();
        while (true)
        {
            pos = HttpSyntax.SkipWhitespace(s, pos);
            if (pos >= s.Length || (inList && s[pos] == ',')) break;
            if (s[pos] != ';')
            {
                error = $"{quoted}: expected ';' or the end at position {pos}, found '{Printable(s[pos])}'.";
                return false;
            }
            pos = HttpSyntax.SkipWhitespace(s, pos + 1);
            if (pos >= s.Length || s[pos] == ';' || (inList && s[pos] == ',')) continue; // empty parameter
            var nameStart = pos;
            pos = HttpSyntax.SkipToken(s, pos);
            if (pos == nameStart)
            {
                error = $"{quoted}: expected a parameter name at position {pos}, found '{Printable(s[pos])}'.";
                return false;
            }
            var name = s[nameStart..pos].ToLowerInvariant();
            pos = HttpSyntax.SkipWhitespace(s, pos);
            if (pos >= s.Length || s[pos] != '=')
            {
                error = $"{quoted}: parameter '{name}' has no '=value'.";
                return false;
            }
            pos = HttpSyntax.SkipWhitespace(s, pos + 1);
            string value;
            if (pos < s.Length && s[pos] == '"')
            {
                var sb = new StringBuilder();
                pos++;
                var closed = false;
                while (pos < s.Length)
                {
                    var c = s[pos];
                    if (c == '"')
                    {
                        pos++;
                        closed = true;
                        break;
                    }
                    if (c == '\\')
                    {
                        if (pos + 1 >= s.Length) break;
                        c = s[pos + 1];
                        if (!HttpSyntax.IsQuotedTextOrPair(c))
                        {
                            error = $"{quoted}: invalid escaped character '{Printable(c)}' in the value of parameter '{name}'.";
                            return false;
                        }
                        sb.Append(c);
                        pos += 2;
                        continue;
                    }
                    if (!HttpSyntax.IsQuotedTextOrPair(c))
                    {
                        error = $"{quoted}: invalid character '{Printable(c)}' in the quoted value of parameter '{name}' at position {pos}.";
                        return false;
                    }
                    sb.Append(c);
                    pos++;
                }
                if (!closed)
                {
                    error = $"{quoted}: the quoted value of parameter '{name}' is not terminated.";
                    return false;
                }
                value = sb.ToString();
            }
            else
            {
                var valueStart = pos;
                while (pos < s.Length && HttpSyntax.IsLenientValueChar(s[pos])) pos++;
                if (pos == valueStart)
                {
                    error = pos < s.Length && !(inList && s[pos] == ',') && s[pos] != ';'
                        ? $"{quoted}: invalid character '{Printable(s[pos])}' in the value of parameter '{name}' at position {pos}."
                        : $"{quoted}: parameter '{name}' has an empty value.";
                    return false;
                }
                value = s[valueStart..pos];
            }
            parameters.Add(new(name, value));
        }
        result = new MediaTypeValue(type, subType, [.. parameters]);
        error = null;
        return true;
    }

    /// <summary>
    /// The header form: <c>type/subtype; name=value; …</c>, each value written as a token when it is one and as a quoted
    /// string (with <c>"</c> and <c>\</c> escaped) otherwise, so <c>type="application/dicom"</c> comes out quoted.
    /// </summary>
    public override string ToString()
    {
        var sb = new StringBuilder(MediaType);
        foreach (var (name, value) in _parameters)
        {
            sb.Append("; ").Append(name).Append('=');
            if (value.Length > 0 && HttpSyntax.IsToken(value))
            {
                sb.Append(value);
                continue;
            }
            sb.Append('"');
            foreach (var c in value)
            {
                if (c is '"' or '\\') sb.Append('\\');
                sb.Append(c);
            }
            sb.Append('"');
        }
        return sb.ToString();
    }

    private static string Quote(string s) => s.Length <= 200 ? $"'{s}'" : $"'{s[..200]}…'";

    private static string Printable(char c) => c < 0x20 || c == 0x7F ? $"\\x{(int)c:X2}" : c.ToString();
}

/// <summary>Character classes of the HTTP grammar (RFC 9110 §5.6).</summary>
internal static class HttpSyntax
{
    /// <summary>tchar: <c>! # $ % &amp; ' * + - . ^ _ ` | ~</c>, digits and letters.</summary>
    public static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    public static bool IsToken(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return false;
        foreach (var c in s)
            if (!IsTokenChar(c)) return false;
        return true;
    }

    /// <summary>Characters allowed in an unquoted parameter value here: visible ASCII except <c>" ; , \</c>.</summary>
    public static bool IsLenientValueChar(char c) => c is > ' ' and < (char)0x7F and not ('"' or ';' or ',' or '\\');

    /// <summary>qdtext or the character of a quoted-pair: HTAB, SP, VCHAR, obs-text.</summary>
    public static bool IsQuotedTextOrPair(char c) => c == '\t' || (c >= ' ' && c != (char)0x7F);

    /// <summary>Whether a parameter value can be written (quoted if need be): no control characters except HTAB.</summary>
    public static bool IsQuotable(string s)
    {
        foreach (var c in s)
            if (!IsQuotedTextOrPair(c)) return false;
        return true;
    }

    public static int SkipWhitespace(string s, int pos)
    {
        while (pos < s.Length && s[pos] is ' ' or '\t') pos++;
        return pos;
    }

    public static int SkipToken(string s, int pos)
    {
        while (pos < s.Length && IsTokenChar(s[pos])) pos++;
        return pos;
    }
}
