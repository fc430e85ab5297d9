namespace FedNano.Reconstruction.Training;

/// <summary>
/// The staged training recipe (Zheng et al. 2019: pre-train each domain's network, then fine-tune end to end) with
/// Adam, a linear warm-up then cosine learning-rate decay, and gradient-norm clipping. The defaults are the recipe
/// the shipped <c>small-sparse</c> weights were trained with (under an hour on 2 CPU cores).
/// </summary>
public sealed record DualDomainTrainingOptions
{
    /// <summary>Projection-CNN pre-training.</summary>
    public StageOptions ProjectionPretrain { get; init; } = new(Steps: 300, BatchSize: 2, LearningRate: 1e-3);

    /// <summary>Image-CNN pre-training.</summary>
    public StageOptions ImagePretrain { get; init; } = new(Steps: 3000, BatchSize: 2, LearningRate: 1e-3);

    /// <summary>End-to-end fine-tuning.</summary>
    public StageOptions EndToEnd { get; init; } = new(Steps: 1000, BatchSize: 2, LearningRate: 2e-4);

    /// <summary>Steps of linear warm-up at the start of each stage.</summary>
    public int WarmupSteps { get; init; } = 30;

    /// <summary>Learning rate at the end of a stage, as a fraction of the peak.</summary>
    public double FinalLearningRateFraction { get; init; } = 0.05;

    /// <summary>Gradients are scaled down to at most this global L2 norm.</summary>
    public double GradientClipNorm { get; init; } = 1.0;

    /// <summary>Weight of the (1 − SSIM) term beside the image MSE (images in units of μ_water).</summary>
    public double SsimWeight { get; init; } = 0.1;

    /// <summary>SSIM data range in units of μ_water (2 = 2000 HU, as the reported metric uses).</summary>
    public double SsimDataRangeInMuWater { get; init; } = 2.0;

    /// <summary>Weight of the sinogram MSE kept during end-to-end fine-tuning (0: image loss only).</summary>
    public double EndToEndSinogramWeight { get; init; } = 0.1;

    /// <summary>Steps between checkpoints (and validation).</summary>
    public int CheckpointEverySteps { get; init; } = 100;

    /// <summary>Seed of weight initialisation and of the sample order.</summary>
    public int Seed { get; init; } = 20241206;

    /// <summary>Options of a stage.</summary>
    public StageOptions For(TrainingStage stage) => stage switch
    {
        TrainingStage.ProjectionPretrain => ProjectionPretrain,
        TrainingStage.ImagePretrain => ImagePretrain,
        TrainingStage.EndToEnd => EndToEnd,
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        foreach (var stage in Enum.GetValues<TrainingStage>())
        {
            For(stage).Validate(stage.ToString());
        }
        if (WarmupSteps < 0 || !(FinalLearningRateFraction is > 0 and <= 1) || !(GradientClipNorm > 0) || !double.IsFinite(GradientClipNorm))
        {
            throw new ArgumentException(
                $"Warm-up {WarmupSteps}, final LR fraction {FinalLearningRateFraction} or clip norm {GradientClipNorm} is out of range.");
        }
        if (!(SsimWeight >= 0) || !(SsimDataRangeInMuWater > 0) || !(EndToEndSinogramWeight >= 0) || CheckpointEverySteps < 1)
        {
            throw new ArgumentException("SSIM weight, data range, sinogram weight or checkpoint interval is out of range.");
        }
    }

    /// <summary>Learning rate of step <paramref name="step"/> (0-based) of a stage: linear warm-up, then cosine decay.</summary>
    public double LearningRateAt(TrainingStage stage, int step)
    {
        var s = For(stage);
        if (step < WarmupSteps)
        {
            return s.LearningRate * (step + 1) / WarmupSteps;
        }
        double progress = s.Steps <= WarmupSteps ? 1 : (double)(step - WarmupSteps) / Math.Max(1, s.Steps - WarmupSteps - 1);
        double floor = FinalLearningRateFraction;
        return s.LearningRate * (floor + (1 - floor) * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, progress))));
    }
}
