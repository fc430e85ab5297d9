namespace FedNano.DicomService.Http;

/// <summary>Where a documented parameter goes.</summary>
public enum DocumentedParameterLocation
{
    /// <summary>The query string.</summary>
    Query,
    /// <summary>A request header.</summary>
    Header,
}

/// <summary>
/// Endpoint metadata describing a parameter the handler reads itself (QIDO-RS attributes, Accept, rendering options),
/// added to the OpenAPI operation by <see cref="DicomWebOperationFilter"/>.
/// </summary>
/// <param name="Name">The parameter name.</param>
/// <param name="Location">Query or header.</param>
/// <param name="Description">What it does.</param>
/// <param name="Example">An example value, if any.</param>
/// <param name="Repeatable">Whether the parameter may be given several times.</param>
public sealed record DocumentedParameter(string Name, DocumentedParameterLocation Location, string Description, string? Example = null, bool Repeatable = false);

/// <summary>Endpoint metadata: the request body is a multipart/related stream of the given part type (STOW-RS).</summary>
/// <param name="MediaType">The request media type, e.g. <c>multipart/related; type="application/dicom"</c>.</param>
/// <param name="Description">What the body carries.</param>
public sealed record DocumentedRequestBody(string MediaType, string Description);

/// <summary>Shortcuts for attaching <see cref="DocumentedParameter"/> metadata.</summary>
public static class OpenApiDocExtensions
{
    /// <summary>Documents a query parameter.</summary>
    public static TBuilder WithQueryParameter<TBuilder>(this TBuilder builder, string name, string description, string? example = null, bool repeatable = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DocumentedParameter(name, DocumentedParameterLocation.Query, description, example, repeatable));

    /// <summary>Documents a request header.</summary>
    public static TBuilder WithHeaderParameter<TBuilder>(this TBuilder builder, string name, string description, string? example = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DocumentedParameter(name, DocumentedParameterLocation.Header, description, example));

    /// <summary>Documents the Accept header with the media types the endpoint can produce.</summary>
    public static TBuilder WithAccept<TBuilder>(this TBuilder builder, params string[] mediaTypes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithHeaderParameter("Accept", "Acceptable media types (q values and several ranges allowed; */* or none gives the first): " + string.Join(" | ", mediaTypes), mediaTypes[0]);

    /// <summary>Documents a streamed request body.</summary>
    public static TBuilder WithStreamedBody<TBuilder>(this TBuilder builder, string mediaType, string description) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DocumentedRequestBody(mediaType, description));
}
