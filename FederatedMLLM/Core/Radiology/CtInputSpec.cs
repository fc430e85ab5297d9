using System.Text.Json;
using System.Text.Json.Serialization;

namespace FedNano.FederatedMLLM.Radiology;

/// <summary>
/// How a CT study becomes the model's image input, saved beside the weights as <c>ct_input.json</c> (the role a
/// Hugging Face <c>preprocessor_config.json</c> plays): a stack of <see cref="Slices"/> axial slices
/// <see cref="SliceSpacingMm"/> apart, each resampled to the vision encoder's square over <see cref="FieldOfViewMm"/>
/// centred on the scan axis, through a HU window.
/// </summary>
public sealed record CtInputSpec
{
    /// <summary>File name beside the weights.</summary>
    public const string FileName = "ct_input.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Slices per stack (the encoder's channels).</summary>
    public int Slices { get; init; } = 3;

    /// <summary>Distance between the stack's slices (mm).</summary>
    public double SliceSpacingMm { get; init; } = 5;

    /// <summary>Square field of view the image covers (mm).</summary>
    public double FieldOfViewMm { get; init; } = 380;

    /// <summary>Image side in pixels (the encoder's image_size).</summary>
    public int ImageSize { get; init; } = 128;

    /// <summary>Window level (HU).</summary>
    public double WindowLevelHu { get; init; } = -600;

    /// <summary>Window width (HU).</summary>
    public double WindowWidthHu { get; init; } = 1500;

    /// <summary>The window.</summary>
    [JsonIgnore] public CtWindow Window => new(WindowLevelHu, WindowWidthHu);

    /// <summary>Writes <c>ct_input.json</c> into <paramref name="directory"/>.</summary>
    public void Save(string directory) => File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>Reads <c>ct_input.json</c> from <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="FormatException">The file is malformed.</exception>
    public static CtInputSpec Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        try
        {
            return JsonSerializer.Deserialize<CtInputSpec>(File.ReadAllText(path), Json) ?? throw new FormatException($"{path} is null.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path} is malformed: {e.Message}", e);
        }
    }
}
