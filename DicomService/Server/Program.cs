using FedNano.DicomService.Configuration;
using FedNano.DicomService.Core;
using FedNano.DicomService.Endpoints;
using FedNano.DicomService.Http;
using FedNano.DicomService.Jobs;
using FedNano.DicomService.Security;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.OpenApi;

// FedNano DICOMweb host: wiring only. The DICOMweb logic lives in FedNano.DicomService.Core, the codec in FedNano.Dicom.
var builder = WebApplication.CreateBuilder(args);
var dataDirectory = builder.Configuration[$"{StorageOptions.SectionName}:{nameof(StorageOptions.DataDirectory)}"] is { Length: > 0 } d ? d : "./data";

// `sites add|revoke|list`: the operator issues and revokes federation site credentials (no server is started).
if (args.FirstOrDefault() == "sites")
{
    var federation = builder.Configuration.GetSection(FedNano.DicomService.Federation.FederationOptions.SectionName).Get<FedNano.DicomService.Federation.FederationOptions>() ?? new();
    return FedNano.DicomService.Federation.SitesCommand.Run(args, FedNano.DicomService.Federation.FederationServiceCollectionExtensions.RegistryPath(federation, dataDirectory), Console.Out, Console.Error);
}

builder.Services.AddOptions<DicomWebOptions>()
    .Bind(builder.Configuration.GetSection(DicomWebOptions.SectionName))
    .ValidateDataAnnotations()
    .Validate(o => string.IsNullOrWhiteSpace(o.PublicBaseUrl) || Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out _),
        "DicomWeb:PublicBaseUrl must be an absolute URL.")
    .Validate(o => o.ChangeFeedDefaultLimit <= o.ChangeFeedMaxLimit, "DicomWeb:ChangeFeedDefaultLimit must not exceed DicomWeb:ChangeFeedMaxLimit.")
    .ValidateOnStart();

// Storage:* (data directory, limits), the services behind the DICOMweb contract and the startup initializer (schema + crash recovery).
builder.Services.AddDicomServiceCore();
builder.Services.AddOptions<StorageOptions>().Bind(builder.Configuration.GetSection(StorageOptions.SectionName));

// Questions:* (model directory, device): the multimodal model answers questions about stored studies.
builder.Services.AddOptions<FedNano.DicomService.Questions.QuestionOptions>()
    .Bind(builder.Configuration.GetSection(FedNano.DicomService.Questions.QuestionOptions.SectionName))
    .Validate(o => o.Device is "auto" or "cpu" or "cuda", "Questions:Device must be auto, cpu or cuda.")
    .Validate(o => o.MaxNewTokens is >= 1 and <= 1024 && o.MaxQuestionLength is >= 1 and <= 100_000, "Questions:MaxNewTokens must lie in 1..1024 and MaxQuestionLength in 1..100000.")
    .ValidateOnStart();
builder.Services.AddSingleton<FedNano.DicomService.Questions.StudyQuestionService>();

// Federation:* (base model for split compute, site registry): the FedNano coordinator's gRPC services, with an
// optional cleartext HTTP/2 endpoint (Federation:GrpcUrl) beside Urls.
if (builder.Configuration["Federation:GrpcUrl"] is { Length: > 0 } grpcUrl)
{
    var urls = builder.Configuration["urls"] is { Length: > 0 } u ? u : "http://127.0.0.1:5080";
    builder.WebHost.ConfigureKestrel(kestrel => FedNano.DicomService.Federation.FederationKestrel.Configure(kestrel, urls, grpcUrl));
}
FedNano.DicomService.Federation.FederationServiceCollectionExtensions.AddFederation(builder.Services, builder.Configuration, dataDirectory);

// Reconstruction:* (auto-reconstruction, workers, device): raw series in, CT series out.
builder.Services.AddReconstructionJobs();
builder.Services.AddOptions<ReconstructionOptions>()
    .Bind(builder.Configuration.GetSection(ReconstructionOptions.SectionName))
    .Validate(o => o.Workers is >= 1 and <= 64, "Reconstruction:Workers must lie in 1..64.")
    .Validate(o => o.QuietPeriodSeconds >= 0 && o.IncompleteSeriesTimeoutSeconds >= o.QuietPeriodSeconds, "Reconstruction:QuietPeriodSeconds must be >= 0 and <= IncompleteSeriesTimeoutSeconds.")
    .Validate(o => o.CompleteSeriesQuietPeriodSeconds >= 0 && o.IncompleteSeriesTimeoutSeconds >= o.CompleteSeriesQuietPeriodSeconds, "Reconstruction:CompleteSeriesQuietPeriodSeconds must be >= 0 and <= IncompleteSeriesTimeoutSeconds.")
    .Validate(o => o.Device is "auto" or "cpu" or "cuda", "Reconstruction:Device must be auto, cpu or cuda.")
    .Validate(o => FedNano.Reconstruction.Workflows.ScanReconstructionRequest.Methods.Contains(o.DefaultMethod), "Reconstruction:DefaultMethod must be dual-domain, ssr-fbp, 360li or 180li.")
    .ValidateOnStart();

builder.Services.AddFedNanoAuthentication(builder.Configuration);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<DicomWebExceptionHandler>();
builder.Services.AddHealthChecks().AddCheck<IndexHealthCheck>("index");

builder.Services.AddEndpointsApiExplorer();
builder.Services.AddSwaggerGen(swagger =>
{
    swagger.SwaggerDoc("v1", new OpenApiInfo
    {
        Title = "FedNano DICOMweb",
        Version = "v1",
        Description = "DICOMweb origin server (PS3.18): STOW-RS, QIDO-RS, WADO-RS (instances, metadata, frames, bulk data, rendered, thumbnails), " +
            "delete and a change feed, under /dicomweb; reconstruction jobs (raw DICOM-CT-PD series in, CT image series out) under /api/reconstructions. " +
            "Errors are RFC 9457 problem+json.",
    });
    swagger.OperationFilter<DicomWebOperationFilter>();
    swagger.AddSecurityDefinition("ApiKey", new OpenApiSecurityScheme
    {
        Type = SecuritySchemeType.ApiKey,
        In = ParameterLocation.Header,
        Name = builder.Configuration[$"{AuthenticationSettings.SectionName}:{nameof(AuthenticationSettings.ApiKeyHeader)}"] is { Length: > 0 } header ? header : "X-Api-Key",
        Description = "Authentication:Mode=ApiKey (header name from Authentication:ApiKeyHeader).",
    });
    swagger.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
    {
        Type = SecuritySchemeType.Http,
        Scheme = "bearer",
        Description = "Authentication:Mode=Bearer.",
    });
    swagger.AddSecurityRequirement(document => new OpenApiSecurityRequirement
    {
        [new OpenApiSecuritySchemeReference("ApiKey", document)] = [],
        [new OpenApiSecuritySchemeReference("Bearer", document)] = [],
    });
});

var app = builder.Build();

// Exceptions become problem+json (no stack traces in any environment); bare error statuses (404 for an unknown
// route, 405) get a problem body too.
app.UseExceptionHandler();
app.UseStatusCodePages();

// Swagger stays open: it is served before authentication.
app.UseSwagger();
app.UseSwaggerUI(ui =>
{
    ui.SwaggerEndpoint("/swagger/v1/swagger.json", "FedNano DICOMweb v1");
    ui.RoutePrefix = "swagger";
});

app.UseAuthentication();
app.UseAuthorization();

app.MapHealthChecks("/health", new HealthCheckOptions
{
    ResponseWriter = async (context, report) =>
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    },
}).AllowAnonymous();

app.MapDicomWeb();
app.MapReconstructions();
app.MapQuestions();
// Sites authenticate per call with their own credentials (SiteAuthentication), not the HTTP API's.
FedNano.DicomService.Federation.FederationServiceCollectionExtensions.MapFederation(app).AllowAnonymous();
FedNano.DicomService.Federation.FederationEndpoints.MapFederationApi(app);

// Schema creation/migration and crash recovery (half-stored instances, orphans, staging) before the first request.
var recovery = await app.Services.GetRequiredService<IStartupRecovery>().InitializeAsync(app.Lifetime.ApplicationStopping);
app.Logger.LogDebug("Startup recovery: {Recovery}", recovery);

await app.RunAsync();
return 0;

/// <summary>The entry point, public for WebApplicationFactory.</summary>
public partial class Program;
