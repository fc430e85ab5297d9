using Microsoft.AspNetCore.Http.Metadata;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace FedNano.DicomService.Http;

/// <summary>
/// Adds what minimal-API inference cannot see to each OpenAPI operation: parameters the handler reads itself
/// (<see cref="DocumentedParameter"/>) and streamed request bodies (<see cref="DocumentedRequestBody"/>).
/// </summary>
public sealed class DicomWebOperationFilter : IOperationFilter
{
    /// <inheritdoc />
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        foreach (var doc in metadata.OfType<DocumentedParameter>())
        {
            operation.Parameters ??= [];
            if (operation.Parameters.Any(p => string.Equals(p.Name, doc.Name, StringComparison.OrdinalIgnoreCase))) continue;
            IOpenApiSchema schema = doc.Repeatable
                ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } }
                : new OpenApiSchema { Type = JsonSchemaType.String };
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = doc.Name,
                In = doc.Location == DocumentedParameterLocation.Query ? ParameterLocation.Query : ParameterLocation.Header,
                Description = doc.Description,
                Required = false,
                Schema = schema,
                Example = doc.Example is null ? null : JsonValue.Create(doc.Example),
            });
        }
        // Responses declared with media types but no CLR type (DICOM JSON, multipart, images) get their media types listed.
        foreach (var produces in metadata.OfType<IProducesResponseTypeMetadata>().Where(p => p.Type is null || p.Type == typeof(void)))
        {
            var key = produces.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!produces.ContentTypes.Any() || operation.Responses?.TryGetValue(key, out var declared) != true || declared is not OpenApiResponse response) continue;
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            foreach (var contentType in produces.ContentTypes)
                if (!response.Content.ContainsKey(contentType))
                    response.Content[contentType] = new OpenApiMediaType { Schema = SchemaFor(contentType) };
        }
        if (metadata.OfType<DocumentedRequestBody>().FirstOrDefault() is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = body.Description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [body.MediaType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                },
            };
        }
    }

    private static OpenApiSchema SchemaFor(string contentType) => contentType.Contains("json", StringComparison.OrdinalIgnoreCase)
        ? new OpenApiSchema { Description = "DICOM JSON (PS3.18 Annex F): an object, or an array of objects, keyed by 8-hex-digit tags." }
        : new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
}
