using System.Text.Json;
using System.Text.Json.Serialization;
using FedNano.FederatedMLLM.Checkpoints;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Training;

/// <summary>
/// Images [N, C, H, W] in [0, 1] and question–answer samples about them; saved as <c>images.safetensors</c> plus
/// <c>samples.jsonl</c> so a generated dataset can be reused and inspected.
/// </summary>
public sealed class QaDataset : IDisposable
{
    /// <summary>Images file name.</summary>
    public const string ImagesFile = "images.safetensors";

    /// <summary>Samples file name.</summary>
    public const string SamplesFile = "samples.jsonl";

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Creates the dataset (takes ownership of <paramref name="images"/>).</summary>
    /// <exception cref="ArgumentException">The images are not [N, C, H, W] or a sample points outside them.</exception>
    public QaDataset(Tensor images, IReadOnlyList<QaSample> samples)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(samples);
        if (images.dim() != 4) throw new ArgumentException($"Images must be [N, C, H, W], got [{string.Join(", ", images.shape)}].", nameof(images));
        if (samples.Any(s => s.Image < 0 || s.Image >= images.shape[0]))
            throw new ArgumentException("A sample refers to an image outside the set.", nameof(samples));
        Images = images;
        Samples = samples;
    }

    /// <summary>The images [N, C, H, W], float32 in [0, 1].</summary>
    public Tensor Images { get; }

    /// <summary>The samples.</summary>
    public IReadOnlyList<QaSample> Samples { get; }

    /// <summary>Writes the dataset into <paramref name="directory"/>.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        SafeTensorsFile.Write(Path.Combine(directory, ImagesFile), [("images", Images.to(ScalarType.Float16))]);
        File.WriteAllLines(Path.Combine(directory, SamplesFile), Samples.Select(s => JsonSerializer.Serialize(s, Json)));
    }

    /// <summary>Reads a dataset written by <see cref="Save"/>.</summary>
    /// <exception cref="FormatException">A file is missing or malformed.</exception>
    public static QaDataset Load(string directory)
    {
        var images = SafeTensorsFile.Open(Path.Combine(directory, ImagesFile)).Read("images").to(ScalarType.Float32);
        var samples = File.ReadLines(Path.Combine(directory, SamplesFile)).Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<QaSample>(l, Json) ?? throw new FormatException($"{SamplesFile}: null line.")).ToList();
        return new QaDataset(images, samples);
    }

    /// <summary>Frees the images.</summary>
    public void Dispose() => Images.Dispose();
}
