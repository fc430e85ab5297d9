namespace FedNano.Reconstruction.Analytic;

/// <summary>Settings of an analytic helical reconstruction.</summary>
/// <param name="Method">Rebinning/interpolation scheme.</param>
/// <param name="Filter">Ramp apodisation window.</param>
/// <param name="FilterCutoff">Window cutoff as a fraction of Nyquist.</param>
/// <param name="GapFilling">How single-slice rebinning fills rows a sparse detector did not measure.</param>
public sealed record AnalyticReconstructionOptions(
    AnalyticMethod Method = AnalyticMethod.SsrFbp,
    ReconstructionFilter Filter = ReconstructionFilter.SheppLogan,
    double FilterCutoff = 1.0,
    GapFilling GapFilling = GapFilling.Linear)
{
    /// <summary>Parses a method name as the CLI writes it: ssr-fbp, 360li, 180li.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static AnalyticMethod ParseMethod(string name) => (name ?? string.Empty).Trim().ToLowerInvariant() switch
    {
        "ssr-fbp" or "ssr" => AnalyticMethod.SsrFbp,
        "360li" => AnalyticMethod.Li360,
        "180li" => AnalyticMethod.Li180,
        _ => throw new ArgumentException($"Unknown analytic method '{name}'; use ssr-fbp, 360li or 180li."),
    };

    /// <summary>The CLI name of a method.</summary>
    public static string MethodName(AnalyticMethod method) => method switch
    {
        AnalyticMethod.SsrFbp => "ssr-fbp",
        AnalyticMethod.Li360 => "360li",
        AnalyticMethod.Li180 => "180li",
        _ => method.ToString(),
    };
}
