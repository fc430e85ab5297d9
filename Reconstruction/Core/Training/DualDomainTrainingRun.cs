using System.Diagnostics;
using FedNano.Reconstruction.Networks;
using TorchSharp;

namespace FedNano.Reconstruction.Training;

/// <summary>
/// A whole training run as <c>recon train</c> performs it: simulate (or read from the cache) the training and
/// validation patients, train the three stages, and leave in the output directory the model, the recipe, the
/// stage checkpoints, the loss log and the PNGs. Running it again on the same directory resumes.
/// </summary>
public static class DualDomainTrainingRun
{
    /// <summary>File of the recipe the run used.</summary>
    public const string RecipeFile = "recipe.json";

    /// <summary>Runs the recipe.</summary>
    /// <param name="recipe">What to train.</param>
    /// <param name="outputDirectory">Where the model and its records go (and where an interrupted run left them).</param>
    /// <param name="cacheDirectory">Cache of simulated patients (null: none).</param>
    /// <param name="device">Training device.</param>
    /// <param name="dataProgress">Receives the number of patients simulated (out of training + validation).</param>
    /// <param name="progress">Receives every training step.</param>
    /// <param name="cancellationToken">Stops the run (checkpoints keep what was done up to the last checkpoint).</param>
    /// <exception cref="ArgumentException">The recipe is invalid, or the directory holds a run of a different recipe.</exception>
    public static DualDomainTrainingResult Run(DualDomainRecipe recipe, string outputDirectory, string? cacheDirectory, torch.Device device,
        IProgress<int>? dataProgress = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        recipe.Validate();
        Directory.CreateDirectory(outputDirectory);
        string recipePath = Path.Combine(outputDirectory, RecipeFile);
        string json = recipe.ToJson();
        if (File.Exists(recipePath) && File.ReadAllText(recipePath) != json)
        {
            throw new ArgumentException(
                $"'{outputDirectory}' holds a training run of a different recipe ({RecipeFile}); use a new --out directory to train another.");
        }
        File.WriteAllText(recipePath, json);

        var clock = Stopwatch.StartNew();
        var config = recipe.NetworkConfig();
        var generator = new TrainingSetGenerator(recipe.Data, config, cacheDirectory);
        int patients = recipe.Data.TrainingSeeds.Count + recipe.Data.ValidationSeeds.Count;
        var training = generator.TrainingSet(dataProgress, cancellationToken);
        var validationAll = generator.ValidationSet(
            dataProgress is null ? null : new Progress<int>(n => dataProgress.Report(recipe.Data.TrainingSeeds.Count + n)), cancellationToken);
        dataProgress?.Report(patients);
        double dataSeconds = clock.Elapsed.TotalSeconds;
        // Watch one mid-dose slice per validation patient: enough to see over-fitting, cheap enough to run often.
        double watchedI0 = recipe.Data.IncidentPhotons.OrderBy(i => Math.Abs(Math.Log(i / 1e5))).First();
        var validation = validationAll.Where(s => s.IncidentPhotons == watchedI0)
            .GroupBy(s => s.Seed).Select(g => g.ElementAt(g.Count() / 2)).ToList();

        var trainer = new DualDomainTrainer(config, recipe.Training, device);
        using var cascade = trainer.Train(training, validation, outputDirectory, progress, cancellationToken);
        var log = TrainingLog.Read(Path.Combine(outputDirectory, DualDomainTrainer.LogFile));
        var last = log.Entries.Where(e => e.ValidationRrmsePercent is not null).ToList();
        return new DualDomainTrainingResult(
            Path.Combine(outputDirectory, DualDomainTrainer.ModelFile),
            training.Count,
            dataSeconds,
            Enum.GetValues<TrainingStage>().ToDictionary(s => s, s => log.Entries.Where(e => e.Stage == s).Select(e => e.Seconds).DefaultIfEmpty(0).Max()),
            Enum.GetValues<TrainingStage>().ToDictionary(s => s, s => last.LastOrDefault(e => e.Stage == s)?.ValidationRrmsePercent),
            cascade.TrainableParameterCount);
    }
}

/// <summary>What a training run produced.</summary>
/// <param name="ModelPath">The trained cascade.</param>
/// <param name="TrainingSamples">Training pairs (slices × doses).</param>
/// <param name="DataSeconds">Time spent simulating or reading the data in this run.</param>
/// <param name="StageSeconds">Training time of each stage (over all resumed runs).</param>
/// <param name="ValidationRrmsePercent">Held-out RRMSE at the end of each stage.</param>
/// <param name="TrainableParameters">Trainable scalars of the cascade.</param>
public sealed record DualDomainTrainingResult(string ModelPath, int TrainingSamples, double DataSeconds,
    IReadOnlyDictionary<TrainingStage, double> StageSeconds, IReadOnlyDictionary<TrainingStage, double?> ValidationRrmsePercent,
    long TrainableParameters);
