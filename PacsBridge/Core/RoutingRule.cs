using System.Text.RegularExpressions;

namespace FedNano.PacsBridge;

/// <summary>
/// Which series a rule takes (all given conditions must hold) and what it does with them: the reconstruction method and
/// model, and where the result goes.
/// </summary>
public sealed class RoutingRule
{
    /// <summary>The destination name of the source PACS.</summary>
    public const string SourceDestination = "source";

    /// <summary>Name, for logs and the state table.</summary>
    public string Name { get; set; } = "rule";

    /// <summary>Modality the series must have (e.g. CT), or null for any.</summary>
    public string? Modality { get; set; }

    /// <summary>Regular expression the Series Description must match (case-insensitive), or null.</summary>
    public string? SeriesDescriptionPattern { get; set; }

    /// <summary>SOP Class UID the instances must have, or null (DICOM-CT-PD raw data is usually CT Image Storage).</summary>
    public string? SopClassUid { get; set; }

    /// <summary>Retrieve AE Title (0008,0054) or Source AE (0002,0016) the series must come from, or null.</summary>
    public string? SourceAeTitle { get; set; }

    /// <summary>Require the DICOM-CT-PD private detector elements in the first instance (default true).</summary>
    public bool RequireProjectionData { get; set; } = true;

    /// <summary>Reconstruction method, or null for the service's default.</summary>
    public string? Method { get; set; }

    /// <summary>dual-domain checkpoint file name in the service's model directory, or null.</summary>
    public string? Model { get; set; }

    /// <summary>Slice spacing (mm), or null for the service's default.</summary>
    public double? SliceSpacingMm { get; set; }

    /// <summary>Where the CT series goes: <see cref="SourceDestination"/> (default) or a name in <see cref="BridgeOptions.Destinations"/>.</summary>
    public string Destination { get; set; } = SourceDestination;

    /// <summary>True when the series' QIDO attributes satisfy the rule's conditions (the projection check comes later).</summary>
    public bool Matches(SeriesCandidate series)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (Modality is not null && !string.Equals(Modality, series.Modality, StringComparison.OrdinalIgnoreCase)) return false;
        if (SeriesDescriptionPattern is not null && !Regex.IsMatch(series.SeriesDescription ?? "", SeriesDescriptionPattern, RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1))) return false;
        if (SourceAeTitle is not null && !string.Equals(SourceAeTitle.Trim(), series.SourceAeTitle?.Trim(), StringComparison.Ordinal)) return false;
        return true;
    }

    /// <summary>Checks the rule.</summary>
    public void Validate(IEnumerable<string> destinations)
    {
        if (SeriesDescriptionPattern is not null)
        {
            try
            {
                _ = new Regex(SeriesDescriptionPattern);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Rule '{Name}': SeriesDescriptionPattern is not a regular expression: {e.Message}");
            }
        }
        if (!string.Equals(Destination, SourceDestination, StringComparison.OrdinalIgnoreCase) && !destinations.Contains(Destination))
            throw new ArgumentException($"Rule '{Name}': destination '{Destination}' is neither 'source' nor one of Bridge:Destinations.");
        if (Method is not null && Method is not ("dual-domain" or "ssr-fbp" or "360li" or "180li"))
            throw new ArgumentException($"Rule '{Name}': unknown method '{Method}'; use dual-domain, ssr-fbp, 360li or 180li.");
    }
}
