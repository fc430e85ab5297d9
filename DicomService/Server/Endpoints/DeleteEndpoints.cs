using FedNano.DicomService.Core;
using FedNano.DicomService.Http;

namespace FedNano.DicomService.Endpoints;

/// <summary>DELETE of a study, series or instance (index first, then files).</summary>
public static class DeleteEndpoints
{
    /// <summary>Maps the delete routes on the DICOMweb group.</summary>
    public static void MapDelete(this IEndpointRouteBuilder group)
    {
        Document(group.MapDelete("/studies/{study}", (string study, IDeleteService d, HttpContext c) => DeleteAsync(c, d, study, null, null)))
            .WithName("DeleteStudy").WithSummary("Delete a study");
        Document(group.MapDelete("/studies/{study}/series/{series}", (string study, string series, IDeleteService d, HttpContext c) => DeleteAsync(c, d, study, series, null)))
            .WithName("DeleteSeries").WithSummary("Delete a series");
        Document(group.MapDelete("/studies/{study}/series/{series}/instances/{instance}", (string study, string series, string instance, IDeleteService d, HttpContext c) =>
                DeleteAsync(c, d, study, series, instance)))
            .WithName("DeleteInstance").WithSummary("Delete an instance");
    }

    private static RouteHandlerBuilder Document(RouteHandlerBuilder builder) => builder
        .WithTags("Delete")
        .WithDescription("Removes the instances (each removal is a delete event in the change feed). 204 when something was deleted, 404 when nothing matches.")
        .Produces(StatusCodes.Status204NoContent)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> DeleteAsync(HttpContext context, IDeleteService delete, string study, string? series, string? instance)
    {
        var count = await delete.DeleteAsync(study, series, instance, context.RequestAborted);
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DeleteEndpoints))
            .LogInformation("Deleted {Count} instance(s) of study {Study} series {Series} instance {Instance}.", count, study, series ?? "*", instance ?? "*");
        return Results.NoContent();
    }
}
