using FedNano.Dicom;
using FedNano.DicomService.Configuration;
using FedNano.DicomService.Core;
using FedNano.DicomService.Http;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Endpoints;

/// <summary>QIDO-RS (PS3.18 §10.6): the six search routes.</summary>
public static class QidoEndpoints
{
    /// <summary>The text of the Warning header sent when more matches remain.</summary>
    public const string MoreResultsWarning = "There are additional results that can be requested";

    private const int MaxWarningHeaders = 20;

    /// <summary>Maps the QIDO-RS routes on the DICOMweb group.</summary>
    public static void MapQido(this IEndpointRouteBuilder group)
    {
        Document(group.MapGet("/studies", (HttpContext c, IQueryService q, IOptions<DicomWebOptions> o) =>
                SearchAsync(c, q, o.Value, ResourceLevel.Study, null, null)), ResourceLevel.Study)
            .WithName("SearchStudies").WithSummary("Search for studies (QIDO-RS)");
        Document(group.MapGet("/series", (HttpContext c, IQueryService q, IOptions<DicomWebOptions> o) =>
                SearchAsync(c, q, o.Value, ResourceLevel.Series, null, null)), ResourceLevel.Series)
            .WithName("SearchSeries").WithSummary("Search for series (QIDO-RS)");
        Document(group.MapGet("/instances", (HttpContext c, IQueryService q, IOptions<DicomWebOptions> o) =>
                SearchAsync(c, q, o.Value, ResourceLevel.Instance, null, null)), ResourceLevel.Instance)
            .WithName("SearchInstances").WithSummary("Search for instances (QIDO-RS)");
        Document(group.MapGet("/studies/{study}/series", (string study, HttpContext c, IQueryService q, IOptions<DicomWebOptions> o) =>
                SearchAsync(c, q, o.Value, ResourceLevel.Series, study, null)), ResourceLevel.Series)
            .WithName("SearchStudySeries").WithSummary("Search for the series of a study (QIDO-RS)");
        Document(group.MapGet("/studies/{study}/instances", (string study, HttpContext c, IQueryService q, IOptions<DicomWebOptions> o) =>
                SearchAsync(c, q, o.Value, ResourceLevel.Instance, study, null)), ResourceLevel.Instance)
            .WithName("SearchStudyInstances").WithSummary("Search for the instances of a study (QIDO-RS)");
        Document(group.MapGet("/studies/{study}/series/{series}/instances", (string study, string series, HttpContext c, IQueryService q, IOptions<DicomWebOptions> o) =>
                SearchAsync(c, q, o.Value, ResourceLevel.Instance, study, series)), ResourceLevel.Instance)
            .WithName("SearchSeriesInstances").WithSummary("Search for the instances of a series (QIDO-RS)");
    }

    private static RouteHandlerBuilder Document(RouteHandlerBuilder builder, ResourceLevel level)
    {
        foreach (var (name, description, example) in CommonMatchKeys(level))
            builder.WithQueryParameter(name, description, example);
        return builder
        .WithTags("QIDO-RS")
        .WithDescription($"Matches {level.ToString().ToLowerInvariant()}-level attributes given as attribute=value (keyword or tag, e.g. PatientID=X or 00100020=X): " +
            "UID lists (comma), wildcards * and ?, DA/TM/DT ranges (a-b, a-, -b). 200 with a DICOM JSON array, 204 when nothing matches, " +
            $"'Warning: 299 host: \"{MoreResultsWarning}\"' when more remain beyond limit/offset.")
        .WithAccept(DicomWebMediaTypes.ApplicationDicomJson, DicomWebMediaTypes.ApplicationJson, "*/*")
        .WithQueryParameter("includefield", "Extra attributes to return (keyword or tag, comma list or repeated), or 'all'.", "all", repeatable: true)
        .WithQueryParameter("fuzzymatching", "true to match person names fuzzily.", "false")
        .WithQueryParameter("limit", "Maximum number of results (default Storage:DefaultQueryLimit = 1000, at most Storage:MaxQueryLimit = 10000).", "100")
        .WithQueryParameter("offset", "Number of results to skip (stable order).", "0")
        .Produces(StatusCodes.Status200OK, null, DicomWebMediaTypes.ApplicationDicomJson, DicomWebMediaTypes.ApplicationJson)
        .Produces(StatusCodes.Status204NoContent)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status406NotAcceptable);
    }

    /// <summary>A few common matching keys per level, for the OpenAPI document (any attribute keyword or tag works).</summary>
    private static IEnumerable<(string Name, string Description, string Example)> CommonMatchKeys(ResourceLevel level)
    {
        yield return ("PatientID", "Patient ID; wildcards * and ? allowed.", "PID*");
        yield return ("PatientName", "Patient's name (PN; fuzzymatching applies).", "Doe^J*");
        yield return ("StudyDate", "Study date or range (YYYYMMDD, YYYYMMDD-YYYYMMDD, open ranges).", "20240101-20241231");
        yield return ("AccessionNumber", "Accession number.", "ACC-1");
        yield return ("StudyInstanceUID", "Study Instance UID(s), comma separated.", "1.2.3");
        if (level == ResourceLevel.Study) yield return ("ModalitiesInStudy", "A modality present in the study.", "CT");
        if (level != ResourceLevel.Study)
        {
            yield return ("Modality", "Series modality.", "CT");
            yield return ("SeriesInstanceUID", "Series Instance UID(s), comma separated.", "1.2.3.4");
        }
        if (level == ResourceLevel.Instance)
        {
            yield return ("SOPInstanceUID", "SOP Instance UID(s), comma separated.", "1.2.3.4.5");
            yield return ("SOPClassUID", "SOP Class UID(s), comma separated.", "1.2.840.10008.5.1.4.1.1.2");
        }
    }

    private static async Task<IResult> SearchAsync(HttpContext context, IQueryService query, DicomWebOptions options, ResourceLevel level,
        string? study, string? series)
    {
        var responseType = Negotiation.ChooseJson(context.Request, "A QIDO-RS result");
        var request = new QueryRequest(level, study, series, ParseQuery(context.Request.QueryString.Value));
        var result = await query.SearchAsync(request, context.RequestAborted);

        var agent = context.Request.Host.HasValue ? context.Request.Host.Value! : "fednano";
        foreach (var warning in result.Warnings.Take(MaxWarningHeaders))
            context.Response.Headers.Append("Warning", StowEndpoints.WarningHeader(agent, warning));
        if (result.HasMore)
            context.Response.Headers.Append("Warning", StowEndpoints.WarningHeader(agent, MoreResultsWarning));
        if (result.Matches.Count == 0) return Results.NoContent();

        var urls = DicomWebUrls.For(context, options);
        foreach (var match in result.Matches) AddRetrieveUrl(match, level, urls);
        // QIDO-RS never carries bulk data: binary values are left out rather than inlined.
        return DicomJsonResult.Array(StatusCodes.Status200OK, responseType.ToString(), result.Matches, new DicomJsonOptions { InlineBinary = false });
    }

    /// <summary>Adds RetrieveURL (0008,1190) of the resource when the match lacks it and its UIDs are present.</summary>
    internal static void AddRetrieveUrl(DicomDataset match, ResourceLevel level, DicomWebUrls urls)
    {
        if (match.Contains(DicomTags.RetrieveURL)) return;
        var study = match.GetString(DicomTags.StudyInstanceUID);
        var series = match.GetString(DicomTags.SeriesInstanceUID);
        var instance = match.GetString(DicomTags.SOPInstanceUID);
        string? url = level switch
        {
            ResourceLevel.Study when !string.IsNullOrEmpty(study) => urls.Study(study),
            ResourceLevel.Series when !string.IsNullOrEmpty(study) && !string.IsNullOrEmpty(series) => urls.Series(study, series),
            ResourceLevel.Instance when !string.IsNullOrEmpty(study) && !string.IsNullOrEmpty(series) && !string.IsNullOrEmpty(instance) =>
                urls.Instance(new InstanceKey(study, series, instance)),
            _ => null,
        };
        if (url is not null) match.AddOrUpdate(DicomTags.RetrieveURL, DicomVR.UR, url);
    }

    /// <summary>
    /// The query string as ordered key/value pairs (repeated keys kept), percent-decoded with <c>+</c> as a space
    /// (application/x-www-form-urlencoded, as browsers and DICOMweb clients send it).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseQuery(string? queryString)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(queryString)) return pairs;
        var text = queryString[0] == '?' ? queryString[1..] : queryString;
        foreach (var segment in text.Split('&'))
        {
            if (segment.Length == 0) continue;
            var eq = segment.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq < 0 ? segment : segment[..eq]);
            var value = eq < 0 ? "" : Decode(segment[(eq + 1)..]);
            if (key.Length > 0) pairs.Add(new(key, value));
        }
        return pairs;
    }

    private static string Decode(string s)
    {
        s = s.Replace('+', ' ');
        try
        {
            return Uri.UnescapeDataString(s);
        }
        catch (UriFormatException)
        {
            throw new InvalidRequestException($"The query parameter '{s}' is not valid percent-encoding.");
        }
    }
}
