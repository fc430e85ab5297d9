using System.Diagnostics;
using FedNano.Reconstruction.Metrics;
using FedNano.Reconstruction.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace FedNano.Reconstruction.Training;

/// <summary>
/// Trains a <see cref="DualDomainCascade"/> in three stages (see <see cref="TrainingStage"/>). Each stage keeps its own
/// checkpoint (weights, optimiser state, step) in the output directory, so an interrupted run resumes where it stopped
/// and a finished stage is not repeated; the projection-only and image-only checkpoints double as single-domain
/// baselines (written weights-only as <see cref="ProjectionOnlyFile"/> and <see cref="ImageOnlyFile"/>). Writes <c>training-log.csv</c>, <c>training-curves.png</c> and a sample reconstruction PNG per stage.
/// </summary>
public sealed class DualDomainTrainer
{
    /// <summary>File of the trained cascade (the end-to-end checkpoint without optimiser state).</summary>
    public const string ModelFile = "model.ckpt";

    /// <summary>File of the projection-CNN-only network after stage 1 (weights only; the image CNN bypassed).</summary>
    public const string ProjectionOnlyFile = "projection-only.ckpt";

    /// <summary>File of the image-CNN-only network after stage 2 (weights only; the projection CNN bypassed).</summary>
    public const string ImageOnlyFile = "image-only.ckpt";

    /// <summary>CSV loss log.</summary>
    public const string LogFile = "training-log.csv";

    /// <summary>Training-curve plot.</summary>
    public const string CurvesFile = "training-curves.png";

    private readonly DualDomainConfig _config;
    private readonly DualDomainTrainingOptions _options;
    private readonly Device _device;

    /// <summary>Creates the trainer for the full cascade described by <paramref name="config"/>.</summary>
    /// <exception cref="ArgumentException">The config or options are invalid, or the config bypasses a network.</exception>
    public DualDomainTrainer(DualDomainConfig config, DualDomainTrainingOptions options, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        config.Validate();
        options.Validate();
        if (!config.ProjectionCnnEnabled || !config.ImageCnnEnabled)
        {
            throw new ArgumentException("The staged recipe trains the whole cascade: enable both networks in the config.");
        }
        _config = config;
        _options = options;
        _device = device ?? CPU;
    }

    /// <summary>Checkpoint path of a stage.</summary>
    public static string StageCheckpoint(string outputDirectory, TrainingStage stage) =>
        Path.Combine(outputDirectory, stage switch
        {
            TrainingStage.ProjectionPretrain => "stage1-projection.ckpt",
            TrainingStage.ImagePretrain => "stage2-image.ckpt",
            _ => "stage3-end-to-end.ckpt",
        });

    /// <summary>The config a stage trains: the projection stage bypasses the image CNN and vice versa.</summary>
    public DualDomainConfig StageConfig(TrainingStage stage) => stage switch
    {
        TrainingStage.ProjectionPretrain => _config with { ImageCnnEnabled = false },
        TrainingStage.ImagePretrain => _config with { ProjectionCnnEnabled = false },
        _ => _config,
    };

    /// <summary>
    /// Runs (or resumes) every stage on <paramref name="training"/>, validating on <paramref name="validation"/>, and
    /// writes the trained cascade to <see cref="ModelFile"/> in <paramref name="outputDirectory"/>.
    /// </summary>
    /// <returns>The trained cascade (on the trainer's device).</returns>
    public DualDomainCascade Train(IReadOnlyList<TrainingSample> training, IReadOnlyList<TrainingSample> validation, string outputDirectory,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(validation);
        if (training.Count == 0)
        {
            throw new ArgumentException("No training samples.", nameof(training));
        }
        Directory.CreateDirectory(outputDirectory);
        string logPath = Path.Combine(outputDirectory, LogFile);
        var log = TrainingLog.Read(logPath);
        DualDomainCascade? projectionStage = null, imageStage = null, endToEnd = null;
        try
        {
            projectionStage = RunStage(TrainingStage.ProjectionPretrain, null, training, validation, outputDirectory, log, logPath, progress, cancellationToken);
            imageStage = RunStage(TrainingStage.ImagePretrain, null, training, validation, outputDirectory, log, logPath, progress, cancellationToken);
            endToEnd = RunStage(TrainingStage.EndToEnd, cascade =>
            {
                using var noGrad = no_grad();
                cascade.ProjectionCnn!.load_state_dict(projectionStage.ProjectionCnn!.state_dict());
                cascade.ImageCnn!.load_state_dict(imageStage.ImageCnn!.state_dict());
            }, training, validation, outputDirectory, log, logPath, progress, cancellationToken);
            NetworkCheckpoint.Save(Path.Combine(outputDirectory, ModelFile), endToEnd,
                new NetworkCheckpointProgress(0, _options.EndToEnd.Steps));
            // The single-domain stages are the baselines the cascade must beat; keep them without optimiser state.
            NetworkCheckpoint.Save(Path.Combine(outputDirectory, ProjectionOnlyFile), projectionStage,
                new NetworkCheckpointProgress(0, _options.ProjectionPretrain.Steps));
            NetworkCheckpoint.Save(Path.Combine(outputDirectory, ImageOnlyFile), imageStage,
                new NetworkCheckpointProgress(0, _options.ImagePretrain.Steps));
            return endToEnd;
        }
        finally
        {
            projectionStage?.Dispose();
            imageStage?.Dispose();
        }
    }

    private DualDomainCascade RunStage(TrainingStage stage, Action<DualDomainCascade>? initialise, IReadOnlyList<TrainingSample> training,
        IReadOnlyList<TrainingSample> validation, string outputDirectory, TrainingLog log, string logPath,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var stageOptions = _options.For(stage);
        string checkpointPath = StageCheckpoint(outputDirectory, stage);
        var config = StageConfig(stage);
        manual_seed(_options.Seed + (int)stage);
        var cascade = new DualDomainCascade(config);
        cascade.to(_device);
        var trainable = cascade.parameters().Where(p => p.requires_grad).ToList();
        var optimizer = optim.Adam(trainable, stageOptions.LearningRate);
        int step = 0;
        if (File.Exists(checkpointPath))
        {
            var checkpoint = NetworkCheckpoint.Read(checkpointPath);
            checkpoint.LoadWeightsInto(cascade);
            if (checkpoint.HasOptimizerState)
            {
                checkpoint.RestoreOptimizer(optimizer);
            }
            step = (int)Math.Min(stageOptions.Steps, checkpoint.Progress?.Step ?? stageOptions.Steps);
            log.TruncateAfter(stage, step);
        }
        else
        {
            initialise?.Invoke(cascade);
        }
        if (step >= stageOptions.Steps)
        {
            return cascade;
        }

        using var ssim = new SsimLoss(_config.ImageSize, _config.ImageSize, _options.SsimDataRangeInMuWater, _device);
        var clock = Stopwatch.StartNew();
        double secondsBefore = log.Entries.Where(e => e.Stage == stage).Select(e => e.Seconds).DefaultIfEmpty(0).Max();
        cascade.train();
        while (step < stageOptions.Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double lr = _options.LearningRateAt(stage, step);
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = lr;
            }
            double loss;
            using (var scope = NewDisposeScope())
            {
                var batch = BatchIndices(training.Count, stageOptions.BatchSize, step);
                optimizer.zero_grad();
                var value = StageLoss(stage, cascade, batch.Select(i => training[i]).ToList(), ssim);
                value.backward();
                nn.utils.clip_grad_norm_(trainable, _options.GradientClipNorm);
                optimizer.step();
                loss = value.item<float>();
            }
            if (!double.IsFinite(loss))
            {
                throw new InvalidOperationException($"Stage {stage}, step {step + 1}: the loss is {loss}; lower the learning rate.");
            }
            step++;
            double? validationLoss = null, validationRrmse = null;
            bool checkpoint = step % _options.CheckpointEverySteps == 0 || step == stageOptions.Steps;
            if (checkpoint && validation.Count > 0)
            {
                (validationLoss, validationRrmse) = Validate(stage, cascade, validation, ssim);
                cascade.train();
            }
            log.Add(new TrainingLogEntry(stage, step, lr, loss, validationLoss, validationRrmse, secondsBefore + clock.Elapsed.TotalSeconds));
            if (checkpoint)
            {
                NetworkCheckpoint.Save(checkpointPath, cascade, new NetworkCheckpointProgress(0, step), optimizer);
                log.Write(logPath);
                TrainingCurvePng.Write(Path.Combine(outputDirectory, CurvesFile), log, "dual-domain training: " + _config.PresetName);
                if (validation.Count > 0)
                {
                    WriteSamplePng(stage, cascade, validation[0], outputDirectory);
                    cascade.train();
                }
            }
            progress?.Report(new TrainingProgress(stage, step, stageOptions.Steps, loss, lr));
        }
        return cascade;
    }

    private Tensor StageLoss(TrainingStage stage, DualDomainCascade cascade, IReadOnlyList<TrainingSample> batch, SsimLoss ssim)
    {
        var input = Stack(batch, s => s.Input, [_config.ProjectionCnn.InputChannels, _config.Geometry.ViewsPerRotation, _config.Geometry.Channels]);
        if (stage == TrainingStage.ProjectionPretrain)
        {
            var target = Stack(batch, s => s.TargetSinogram, [_config.Geometry.ViewsPerRotation, _config.Geometry.Channels]);
            return nn.functional.mse_loss(cascade.ProjectionCnn!.forward(input), target);
        }
        var truth = Stack(batch, s => s.TruthMu, [1, _config.ImageSize, _config.ImageSize]) / _config.MuWaterPerMm;
        var (sinogram, _, refined) = cascade.ForwardAll(input);
        var image = refined / _config.MuWaterPerMm;
        var loss = nn.functional.mse_loss(image, truth) + _options.SsimWeight * ssim.Loss(image, truth);
        if (stage == TrainingStage.EndToEnd && _options.EndToEndSinogramWeight > 0)
        {
            var target = Stack(batch, s => s.TargetSinogram, [_config.Geometry.ViewsPerRotation, _config.Geometry.Channels]);
            loss += _options.EndToEndSinogramWeight * nn.functional.mse_loss(sinogram, target);
        }
        return loss;
    }

    private (double Loss, double RrmsePercent) Validate(TrainingStage stage, DualDomainCascade cascade, IReadOnlyList<TrainingSample> validation, SsimLoss ssim)
    {
        cascade.eval();
        double loss = 0, rrmse = 0;
        using var noGrad = no_grad();
        foreach (var sample in validation)
        {
            using var scope = NewDisposeScope();
            loss += StageLoss(stage, cascade, [sample], ssim).item<float>();
            rrmse += RrmsePercent(sample, Image(cascade, sample));
        }
        return (loss / validation.Count, rrmse / validation.Count);
    }

    /// <summary>The stage's image of a sample in μ (the projection stage's image is the FBP of its sinogram).</summary>
    private float[] Image(DualDomainCascade cascade, TrainingSample sample)
    {
        using var scope = NewDisposeScope();
        var input = Stack([sample], s => s.Input, [_config.ProjectionCnn.InputChannels, _config.Geometry.ViewsPerRotation, _config.Geometry.Channels]);
        return cascade.forward(input).cpu().data<float>().ToArray();
    }

    private double RrmsePercent(TrainingSample sample, float[] imageMu)
    {
        var truthHu = ToHu(sample.TruthMu);
        var mask = MetricMask.Body(truthHu, _config.ImageSize, _config.ImageSize);
        return ImageMetrics.Rrmse(sample.TruthMu, imageMu, _config.ImageSize, _config.ImageSize, mask);
    }

    private void WriteSamplePng(TrainingStage stage, DualDomainCascade cascade, TrainingSample sample, string outputDirectory)
    {
        cascade.eval();
        float[] image;
        using (no_grad())
        {
            image = Image(cascade, sample);
        }
        var truthHu = ToHu(sample.TruthMu);
        double rrmse = RrmsePercent(sample, image);
        ComparisonPng.Write(Path.Combine(outputDirectory, $"sample-{stage}.png".ToLowerInvariant()), truthHu, ToHu(image),
            _config.ImageSize, _config.ImageSize, new ComparisonPngOptions
            {
                Title = FormattableString.Invariant($"{stage}: patient {sample.Seed}, z {sample.SliceZMm:F1} mm, I0 {sample.IncidentPhotons:0.#e0}, RRMSE {rrmse:F2} %"),
                WindowCenterHu = -300,
                WindowWidthHu = 1600,
            });
    }

    private float[] ToHu(float[] mu)
    {
        var hu = new float[mu.Length];
        for (int i = 0; i < mu.Length; i++)
        {
            hu[i] = (float)((mu[i] / _config.MuWaterPerMm - 1) * 1000);
        }
        return hu;
    }

    private Tensor Stack(IReadOnlyList<TrainingSample> batch, Func<TrainingSample, float[]> field, long[] shape)
    {
        int length = field(batch[0]).Length;
        var values = new float[batch.Count * length];
        for (int b = 0; b < batch.Count; b++)
        {
            field(batch[b]).CopyTo(values, b * length);
        }
        return tensor(values, [batch.Count, .. shape]).to(_device);
    }

    /// <summary>Sample indices of step <paramref name="step"/>: epochs of a seeded permutation, so a resumed run sees the same batches.</summary>
    private int[] BatchIndices(int count, int batchSize, int step)
    {
        var indices = new int[batchSize];
        for (int b = 0; b < batchSize; b++)
        {
            long position = (long)step * batchSize + b;
            int epoch = (int)(position / count);
            indices[b] = Permutation(count, _options.Seed + epoch)[(int)(position % count)];
        }
        return indices;
    }

    private readonly Dictionary<(int, int), int[]> _permutations = [];

    private int[] Permutation(int count, int seed)
    {
        if (!_permutations.TryGetValue((count, seed), out var order))
        {
            order = Enumerable.Range(0, count).ToArray();
            new Random(seed).Shuffle(order);
            _permutations[(count, seed)] = order;
        }
        return order;
    }
}
