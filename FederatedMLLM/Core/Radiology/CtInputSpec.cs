using System.Text.Json;
using System.Text.Json.Serialization;

namespace FedNano.FederatedMLLM.Radiology;

/// <summary>
/// How a CT study becomes the model's image input, saved beside the weights as <c>ct_input.json</c> (the role a
/// Hugging Face <c>preprocessor_config.json</c> plays): a stack of <see cref="Slices"/> axial slices
/// <see cref="SliceSpacingMm"/> apart, each resampled to the vision encoder's square over <see cref="FieldOfViewMm"/>
/// centred on the scan axis, through a HU window, then standardised with <see cref="PixelMean"/> and
/// <see cref="PixelStd"/> (CLIP's image_mean/image_std: a ViT trained from scratch does not leave the constant
/// solution on raw [0, 1] pixels).
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

    /// <summary>Mean of windowed training pixels, subtracted before the encoder (0 leaves pixels as windowed).</summary>
    public double PixelMean { get; init; }

    /// <summary>Standard deviation of windowed training pixels, divided out before the encoder (1 leaves them).</summary>
    public double PixelStd { get; init; } = 1;

    /// <summary>The encoder's input value of a voxel of <paramref name="hu"/> HU: windowed, then standardised.</summary>
    public float Pixel(double hu) => (float)((Window.Apply(hu) - PixelMean) / PixelStd);

    /// <summary>Standardises windowed pixels [.., C, H, W] in [0, 1] into the encoder's input (a new tensor).</summary>
    public TorchSharp.torch.Tensor Standardise(TorchSharp.torch.Tensor windowed)
    {
        ArgumentNullException.ThrowIfNull(windowed);
        return (windowed - PixelMean) / PixelStd;
    }

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
            var spec = JsonSerializer.Deserialize<CtInputSpec>(File.ReadAllText(path), Json) ?? throw new FormatException($"{path} is null.");
            if (!(spec.PixelStd > 0) || !double.IsFinite(spec.PixelMean)) throw new FormatException($"{path}: pixelStd must be > 0 and pixelMean finite.");
            return spec;
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path} is malformed: {e.Message}", e);
        }
    }
}
