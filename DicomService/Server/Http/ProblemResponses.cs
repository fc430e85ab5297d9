using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace FedNano.DicomService.Http;

/// <summary>Writes RFC 9457 problem details (<c>application/problem+json</c>) without exception internals.</summary>
public static class ProblemResponses
{
    /// <summary>The problem details media type.</summary>
    public const string MediaType = "application/problem+json";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>A problem details object for <paramref name="status"/>.</summary>
    public static ProblemDetails Create(HttpContext context, int status, string title, string detail)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = $"https://httpwg.org/specs/rfc9110.html#status.{status}",
            Instance = context.Request.PathBase.Add(context.Request.Path).Value,
        };
        problem.Extensions["traceId"] = context.TraceIdentifier;
        return problem;
    }

    /// <summary>A minimal-API result carrying problem details.</summary>
    public static IResult Result(HttpContext context, int status, string title, string detail) =>
        Results.Json(Create(context, status, title, detail), JsonOptions, MediaType, status);

    /// <summary>Writes problem details to the response unless it has started.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = status;
        context.Response.ContentType = MediaType;
        await JsonSerializer.SerializeAsync(context.Response.Body, Create(context, status, title, detail), JsonOptions, context.RequestAborted);
    }
}
