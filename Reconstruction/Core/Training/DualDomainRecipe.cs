using System.Text.Json;
using System.Text.Json.Serialization;
using FedNano.Reconstruction.Networks;

namespace FedNano.Reconstruction.Training;

/// <summary>
/// Everything that determines a trained cascade: the data, the network layout and the optimisation. Stored as
/// <c>recipe.json</c> beside the weights, so a model card can name it and the run can be repeated exactly.
/// </summary>
public sealed record DualDomainRecipe
{
    /// <summary>Training data.</summary>
    public TrainingDataOptions Data { get; init; } = new();

    /// <summary>Projection-CNN layout (the default is sized for under an hour of CPU training).</summary>
    public ProjectionDomainCnnOptions ProjectionCnn { get; init; } = new(Features: 16, Layers: 8, MaxViewDilation: 16);

    /// <summary>Image-CNN layout.</summary>
    public ImageDomainCnnOptions ImageCnn { get; init; } = new(BaseFeatures: 16, Levels: 4);

    /// <summary>Optimisation.</summary>
    public DualDomainTrainingOptions Training { get; init; } = new();

    /// <summary>The cascade this recipe trains.</summary>
    public DualDomainConfig NetworkConfig() =>
        DualDomainConfig.ForPreset(Data.Geometry, Data.ImageSize, Data.FieldOfViewMm) with { ProjectionCnn = ProjectionCnn, ImageCnn = ImageCnn };

    /// <summary>Checks every part.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        Data.Validate();
        Training.Validate();
        NetworkConfig().Validate();
    }

    /// <summary>Serialises to indented camelCase JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses and validates a recipe.</summary>
    /// <exception cref="ArgumentException">The JSON is malformed or a value is out of range.</exception>
    public static DualDomainRecipe FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        DualDomainRecipe? recipe;
        try
        {
            recipe = JsonSerializer.Deserialize<DualDomainRecipe>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Training recipe JSON is invalid: {e.Message}", nameof(json), e);
        }
        if (recipe is null)
        {
            throw new ArgumentException("Training recipe JSON is null.", nameof(json));
        }
        recipe.Validate();
        return recipe;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };
}
