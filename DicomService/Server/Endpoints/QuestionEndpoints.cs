using System.Text.Json;
using FedNano.DicomService.Http;
using FedNano.DicomService.Questions;
using FedNano.DicomService.Security;

namespace FedNano.DicomService.Endpoints;

/// <summary>Question answering about stored studies: <c>POST /api/studies/{studyInstanceUid}/questions</c>.</summary>
public static class QuestionEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A question about a study.</summary>
    /// <param name="Question">The question, e.g. "Is there a pleural effusion?".</param>
    /// <param name="SeriesInstanceUid">The CT image series to look at; default the most recently stored CT image series of the study.</param>
    /// <param name="SopInstanceUid">The slice at the centre of the stack the model sees; default the middle slice of the series.</param>
    /// <param name="Adapter">NanoAdapters to answer with: "global" (default: the federation's latest global adapters), "none" (base model) or a site id.</param>
    public sealed record QuestionRequest(string? Question, string? SeriesInstanceUid, string? SopInstanceUid, string? Adapter = null);

    /// <summary>Maps the endpoint; it requires <see cref="AuthenticationSetup.ClientPolicy"/>.</summary>
    public static RouteHandlerBuilder MapQuestions(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/studies/{studyInstanceUid}/questions", AskAsync).RequireAuthorization(AuthenticationSetup.ClientPolicy)
            .WithTags("Question answering").WithName("AskAboutStudy")
            .WithSummary("Ask the multimodal model a question about a stored study")
            .WithDescription("Body: {question, seriesInstanceUid?, sopInstanceUid?, adapter?}; adapter = global (default) | none | a site id. Looks at a stack of slices of the study's reconstructed CT series (the most recent one by default, centred on its middle slice) and answers with the base model and adapters in force. 400 bad body, 404 unknown study/series/slice or site adapters, 415 not JSON, 422 no CT image series, 503 model unavailable.")
            .Accepts<QuestionRequest>("application/json")
            .Produces<StudyAnswer>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(415).ProducesProblem(422).ProducesProblem(503);

    private static async Task<IResult> AskAsync(HttpContext c, string studyInstanceUid, StudyQuestionService questions, CancellationToken cancellationToken)
    {
        if (c.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return ProblemResponses.Result(c, 415, "Unsupported Media Type", $"The body must be application/json, not '{c.Request.ContentType}'.");
        QuestionRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<QuestionRequest>(c.Request.Body, Json, cancellationToken);
        }
        catch (JsonException e)
        {
            return ProblemResponses.Result(c, 400, "Bad Request", $"The body is not a valid question: {e.Message}");
        }
        if (body is null) return ProblemResponses.Result(c, 400, "Bad Request", "The body is empty.");
        try
        {
            var answer = await questions.AskAsync(studyInstanceUid, body.Question, body.SeriesInstanceUid, body.SopInstanceUid, cancellationToken, body.Adapter);
            return Results.Json(answer, Json);
        }
        catch (QuestionInputException e)
        {
            return ProblemResponses.Result(c, e.StatusCode, e.Title, e.Message);
        }
    }
}
