using System.Globalization;

namespace FedNano.Reconstruction.Training;

/// <summary>
/// Loss history of a training run, kept as CSV (<c>stage,step,learning_rate,loss,validation_loss,validation_rrmse_percent,seconds</c>)
/// so a resumed run appends to it and the curves can be redrawn at any time.
/// </summary>
public sealed class TrainingLog
{
    /// <summary>CSV header line.</summary>
    public const string Header = "stage,step,learning_rate,loss,validation_loss,validation_rrmse_percent,seconds";

    private readonly List<TrainingLogEntry> _entries = [];

    /// <summary>Entries in the order they were logged.</summary>
    public IReadOnlyList<TrainingLogEntry> Entries => _entries;

    /// <summary>Adds an entry.</summary>
    public void Add(TrainingLogEntry entry) => _entries.Add(entry);

    /// <summary>Drops entries of <paramref name="stage"/> after <paramref name="step"/> (a resumed stage repeats them).</summary>
    public void TruncateAfter(TrainingStage stage, int step) => _entries.RemoveAll(e => e.Stage == stage && e.Step > step);

    /// <summary>Reads a log written by <see cref="Write"/>; a missing file gives an empty log.</summary>
    /// <exception cref="InvalidDataException">A line is malformed.</exception>
    public static TrainingLog Read(string path)
    {
        var log = new TrainingLog();
        if (!File.Exists(path))
        {
            return log;
        }
        foreach (var (line, number) in File.ReadLines(path).Select((l, i) => (l, i + 1)).Skip(1))
        {
            var f = line.Split(',');
            if (f.Length != 7 || !Enum.TryParse<TrainingStage>(f[0], out var stage))
            {
                throw new InvalidDataException($"{path}:{number}: expected 7 fields starting with a stage name.");
            }
            log.Add(new TrainingLogEntry(stage, int.Parse(f[1], CultureInfo.InvariantCulture), Parse(f[2]), Parse(f[3]), ParseOptional(f[4]),
                ParseOptional(f[5]), Parse(f[6])));
        }
        return log;
    }

    /// <summary>Writes the log as CSV (atomically: a temporary file is moved over the old one).</summary>
    public void Write(string path)
    {
        var lines = new List<string>(_entries.Count + 1) { Header };
        lines.AddRange(_entries.Select(e => string.Create(CultureInfo.InvariantCulture,
            $"{e.Stage},{e.Step},{e.LearningRate:G6},{e.Loss:G8},{e.ValidationLoss?.ToString("G8", CultureInfo.InvariantCulture)},{e.ValidationRrmsePercent?.ToString("G6", CultureInfo.InvariantCulture)},{e.Seconds:F2}")));
        string temporary = path + ".part";
        File.WriteAllLines(temporary, lines);
        File.Move(temporary, path, overwrite: true);
    }

    private static double Parse(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static double? ParseOptional(string s) => s.Length == 0 ? null : Parse(s);
}

/// <summary>One logged step.</summary>
/// <param name="Stage">Stage.</param>
/// <param name="Step">Steps done in the stage.</param>
/// <param name="LearningRate">Learning rate used.</param>
/// <param name="Loss">Training loss of the step.</param>
/// <param name="ValidationLoss">Loss on the held-out slices, when validated at this step.</param>
/// <param name="ValidationRrmsePercent">RRMSE (μ, body) of the stage's image on the held-out slices, when validated.</param>
/// <param name="Seconds">Wall time of the stage so far.</param>
public sealed record TrainingLogEntry(TrainingStage Stage, int Step, double LearningRate, double Loss, double? ValidationLoss,
    double? ValidationRrmsePercent, double Seconds);
