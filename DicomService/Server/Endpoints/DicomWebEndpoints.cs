using FedNano.DicomService.Http;
using FedNano.DicomService.Security;

namespace FedNano.DicomService.Endpoints;

/// <summary>Maps every DICOMweb route under <see cref="DicomWebUrls.RoutePrefix"/>.</summary>
public static class DicomWebEndpoints
{
    /// <summary>Maps STOW-RS, QIDO-RS, WADO-RS, delete and the change feed; all require <see cref="AuthenticationSetup.ClientPolicy"/>.</summary>
    public static RouteGroupBuilder MapDicomWeb(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(DicomWebUrls.RoutePrefix).RequireAuthorization(AuthenticationSetup.ClientPolicy);
        group.MapStow();
        group.MapQido();
        group.MapWado();
        group.MapDelete();
        group.MapChangeFeed();
        return group;
    }
}
