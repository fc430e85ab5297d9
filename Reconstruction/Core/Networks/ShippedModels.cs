namespace FedNano.Reconstruction.Networks;

/// <summary>
/// The trained cascades that ship with FedNano (committed under <c>Reconstruction/Models/</c>, copied into every build
/// output's <c>models/</c> directory beside their model cards).
/// </summary>
public static class ShippedModels
{
    /// <summary>Directory of the shipped models, relative to the application's base directory.</summary>
    public const string Directory = "models";

    /// <summary>The preset the default model was trained for.</summary>
    public const string DefaultPreset = "small-sparse";

    /// <summary>File name of the shipped cascade for <paramref name="presetName"/>.</summary>
    public static string FileName(string presetName) => $"dual-domain-{presetName}.ckpt";

    /// <summary>Path of the shipped cascade for <paramref name="presetName"/>.</summary>
    /// <exception cref="FileNotFoundException">No model ships for that preset.</exception>
    public static string PathFor(string presetName = DefaultPreset)
    {
        ArgumentNullException.ThrowIfNull(presetName);
        string path = System.IO.Path.Combine(AppContext.BaseDirectory, Directory, FileName(presetName));
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"No shipped dual-domain model for geometry '{presetName}' (looked for {path}); FedNano ships one for '{DefaultPreset}'. Train one with 'recon train' and pass it with --model.",
                path);
        }
        return path;
    }
}
