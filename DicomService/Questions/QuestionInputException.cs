namespace FedNano.DicomService.Questions;

/// <summary>A question that cannot be answered as asked; <see cref="StatusCode"/> is the HTTP status to answer with (400, 404, 422, 503).</summary>
public sealed class QuestionInputException(int statusCode, string title, string message) : Exception(message)
{
    /// <summary>HTTP status.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>Short problem title.</summary>
    public string Title { get; } = title;
}
