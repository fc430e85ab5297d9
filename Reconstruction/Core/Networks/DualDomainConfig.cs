using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using FedNano.Reconstruction.Analytic;

namespace FedNano.Reconstruction.Networks;

/// <summary>
/// Everything that defines a dual-domain network (projection-domain CNN → fixed fan-beam FBP → image-domain CNN)
/// apart from its weights: the scanner geometry and row pattern it was built for, the output grid, the FBP window,
/// both CNN layouts and μ_water. Stored as JSON in every <see cref="NetworkCheckpoint"/>.
/// </summary>
public sealed record DualDomainConfig
{
    private static readonly JsonSerializerOptions JsonOptions = CreateJsonOptions();

    /// <summary>Name of the geometry preset the numbers came from (<see cref="GeometryPresets"/>), or "custom".</summary>
    public required string PresetName { get; init; }

    /// <summary>Scanner geometry (fan-beam and helical numbers).</summary>
    public required DualDomainGeometry Geometry { get; init; }

    /// <summary>Active-row pattern text (<see cref="SparseRowPattern.Parse"/>), e.g. "4x2g2"; "1x16" for a dense detector.</summary>
    public required string RowPattern { get; init; }

    /// <summary>Output image pixels per side.</summary>
    public required int ImageSize { get; init; }

    /// <summary>Output pixel size (mm).</summary>
    public required double PixelSpacingMm { get; init; }

    /// <summary>Apodisation window of the FBP ramp filter.</summary>
    public ReconstructionFilter FbpWindow { get; init; } = ReconstructionFilter.SheppLogan;

    /// <summary>Window cutoff as a fraction of Nyquist (0 &lt; cutoff ≤ 1).</summary>
    public double FbpCutoff { get; init; } = 1.0;

    /// <summary>Projection-domain CNN layout.</summary>
    public ProjectionDomainCnnOptions ProjectionCnn { get; init; } = new();

    /// <summary>Image-domain CNN layout.</summary>
    public ImageDomainCnnOptions ImageCnn { get; init; } = new();

    /// <summary>False bypasses the projection-domain CNN (the "image-CNN-only" ablation): FBP of the rebinned sinogram.</summary>
    public bool ProjectionCnnEnabled { get; init; } = true;

    /// <summary>False bypasses the image-domain CNN (the "projection-CNN-only" ablation): the FBP image is the output.</summary>
    public bool ImageCnnEnabled { get; init; } = true;

    /// <summary>μ_water (1/mm): the image CNN works in units of μ/μ_water.</summary>
    public double MuWaterPerMm { get; init; } = Phantoms.SheppLogan3D.DefaultMuWaterPerMm;

    /// <summary>The output grid.</summary>
    [JsonIgnore]
    public ImageGrid2D Grid => new(ImageSize, PixelSpacingMm);

    /// <summary>
    /// The default network for a named preset: its geometry and row pattern, a <paramref name="imageSize"/>² grid over
    /// <paramref name="fieldOfViewMm"/>, Shepp–Logan FBP window, default CNN layouts.
    /// </summary>
    /// <exception cref="ArgumentException">The preset is unknown or a value is out of range.</exception>
    public static DualDomainConfig ForPreset(string presetName, int imageSize = 256, double fieldOfViewMm = 400.0)
    {
        var preset = GeometryPresets.Get(presetName);
        if (!(fieldOfViewMm > 0 && double.IsFinite(fieldOfViewMm)) || imageSize < 1)
        {
            throw new ArgumentException($"Image grid {imageSize} pixels over {fieldOfViewMm} mm is invalid.");
        }
        return ForPreset(preset, ImageGrid2D.ForFieldOfView(imageSize, fieldOfViewMm));
    }

    /// <summary>The default network for <paramref name="preset"/> on <paramref name="grid"/>.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public static DualDomainConfig ForPreset(GeometryPreset preset, ImageGrid2D grid)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(grid);
        var config = new DualDomainConfig
        {
            PresetName = preset.Name,
            Geometry = DualDomainGeometry.FromHelical(preset.Geometry),
            RowPattern = preset.RowPattern.ToString(),
            ImageSize = grid.Size,
            PixelSpacingMm = grid.PixelSpacingMm,
        };
        config.Validate();
        return config;
    }

    /// <summary>The parsed row pattern.</summary>
    /// <exception cref="ArgumentException">The text is malformed or does not fit the detector rows.</exception>
    public SparseRowPattern ParseRowPattern() => SparseRowPattern.Parse(RowPattern, Geometry.DetectorRows);

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentException">A value is missing or out of range; the message names it.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(PresetName))
        {
            throw new ArgumentException("Network config: preset name is empty (use \"custom\" for a geometry of your own).");
        }
        if (Geometry is null)
        {
            throw new ArgumentException("Network config: geometry is missing.");
        }
        Geometry.Validate();
        if (RowPattern is null)
        {
            throw new ArgumentException("Network config: row pattern is missing.");
        }
        try
        {
            _ = ParseRowPattern();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Network config: {e.Message}", e);
        }
        try
        {
            Grid.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Network config: {e.Message}", e);
        }
        if (!Enum.IsDefined(FbpWindow))
        {
            throw new ArgumentException($"Network config: unknown FBP window {FbpWindow}.");
        }
        if (!(FbpCutoff > 0 && FbpCutoff <= 1))
        {
            throw new ArgumentException($"Network config: FBP cutoff {FbpCutoff} must lie in (0, 1] of Nyquist.");
        }
        if (!(MuWaterPerMm > 0 && MuWaterPerMm < 1))
        {
            throw new ArgumentException($"Network config: μ_water {MuWaterPerMm} /mm must lie in (0, 1).");
        }
        if (ProjectionCnn is null || ImageCnn is null)
        {
            throw new ArgumentException("Network config: a CNN layout is missing.");
        }
        ProjectionCnn.Validate();
        ImageCnn.Validate();
        if (ImageCnnEnabled && ImageSize >> (ImageCnn.Levels - 1) < 1)
        {
            throw new ArgumentException(
                $"Network config: a {ImageSize}² image is too small for an image CNN with {ImageCnn.Levels} levels.");
        }
    }

    /// <summary>
    /// The fields in which <paramref name="actual"/> differs from this config (empty when they match): geometry, row
    /// pattern (compared parsed), grid, FBP, μ_water, stages and CNN layouts. The preset name is informative only.
    /// </summary>
    public IReadOnlyList<NetworkCheckpointMismatch> Differences(DualDomainConfig actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        var list = AcquisitionDifferences(Geometry, RowPattern, Grid, actual);
        Add(list, "fbpWindow", FbpWindow, actual.FbpWindow);
        Add(list, "fbpCutoff", FbpCutoff, actual.FbpCutoff);
        Add(list, "muWaterPerMm", MuWaterPerMm, actual.MuWaterPerMm);
        Add(list, "projectionCnnEnabled", ProjectionCnnEnabled, actual.ProjectionCnnEnabled);
        Add(list, "imageCnnEnabled", ImageCnnEnabled, actual.ImageCnnEnabled);
        Add(list, "projectionCnn.features", ProjectionCnn.Features, actual.ProjectionCnn.Features);
        Add(list, "projectionCnn.layers", ProjectionCnn.Layers, actual.ProjectionCnn.Layers);
        Add(list, "projectionCnn.maxViewDilation", ProjectionCnn.MaxViewDilation, actual.ProjectionCnn.MaxViewDilation);
        Add(list, "projectionCnn.neighbourSlicesPerSide", ProjectionCnn.NeighbourSlicesPerSide, actual.ProjectionCnn.NeighbourSlicesPerSide);
        Add(list, "projectionCnn.neighbourSliceSpacingMm", ProjectionCnn.NeighbourSliceSpacingMm, actual.ProjectionCnn.NeighbourSliceSpacingMm);
        Add(list, "projectionCnn.lineIntegralScale", ProjectionCnn.LineIntegralScale, actual.ProjectionCnn.LineIntegralScale);
        Add(list, "imageCnn.baseFeatures", ImageCnn.BaseFeatures, actual.ImageCnn.BaseFeatures);
        Add(list, "imageCnn.levels", ImageCnn.Levels, actual.ImageCnn.Levels);
        return list;
    }

    /// <summary>Serialises to indented camelCase JSON (enums as kebab-case text).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses and validates JSON written by <see cref="ToJson"/>.</summary>
    /// <exception cref="ArgumentException">The JSON is malformed, has unknown or missing fields, or a value is out of range.</exception>
    public static DualDomainConfig FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        DualDomainConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<DualDomainConfig>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Network config JSON is invalid: {e.Message}", nameof(json), e);
        }
        if (config is null)
        {
            throw new ArgumentException("Network config JSON is null.", nameof(json));
        }
        config.Validate();
        return config;
    }

    /// <summary>
    /// Differences in what ties a network to its data (geometry, row pattern compared parsed, output grid) between
    /// what a caller expects and the <paramref name="actual"/> config; a null pattern or grid is not compared.
    /// </summary>
    internal static List<NetworkCheckpointMismatch> AcquisitionDifferences(
        DualDomainGeometry expectedGeometry, string? expectedRowPattern, ImageGrid2D? expectedGrid, DualDomainConfig actual)
    {
        var list = new List<NetworkCheckpointMismatch>(expectedGeometry.Differences(actual.Geometry));
        if (expectedRowPattern is not null)
        {
            string expected = Canonical(expectedRowPattern, expectedGeometry.DetectorRows);
            string found = Canonical(actual.RowPattern, actual.Geometry.DetectorRows);
            if (!string.Equals(expected, found, StringComparison.Ordinal))
            {
                list.Add(new NetworkCheckpointMismatch("rowPattern", expected, found));
            }
        }
        if (expectedGrid is not null)
        {
            Add(list, "imageSize", expectedGrid.Size, actual.ImageSize);
            Add(list, "pixelSpacingMm", expectedGrid.PixelSpacingMm, actual.PixelSpacingMm);
        }
        return list;
    }

    private static string Canonical(string pattern, int rows)
    {
        try
        {
            return SparseRowPattern.Parse(pattern, rows).ToString();
        }
        catch (ArgumentException)
        {
            return pattern.Trim();
        }
    }

    private static void Add<T>(List<NetworkCheckpointMismatch> list, string field, T expected, T actual)
    {
        bool same = expected is double a && actual is double b
            ? DualDomainGeometry.SameNumber(a, b)
            : EqualityComparer<T>.Default.Equals(expected, actual);
        if (!same)
        {
            list.Add(new NetworkCheckpointMismatch(field, Format(expected), Format(actual)));
        }
    }

    private static string Format<T>(T value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "null",
    };

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            // A network config is a contract: typos and missing numbers fail instead of silently defaulting.
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
