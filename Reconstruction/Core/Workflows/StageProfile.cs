using System.Diagnostics;

namespace FedNano.Reconstruction.Workflows;

/// <summary>
/// Wall-clock seconds accumulated per named stage of a reconstruction (rebinning, projection CNN, FBP, image CNN, …),
/// in the order the stages first ran: the profile that says where a job's time goes. Not thread-safe; one per run.
/// </summary>
public sealed class StageProfile
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, double> _seconds = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Stage names used by the reconstructors.</summary>
    public static class Stages
    {
        /// <summary>Once per run: loading the network or setting up the analytic reconstructor.</summary>
        public const string SetUp = "set-up";

        /// <summary>Building one slice's fan-beam sinogram from the helical views (single-slice rebinning or helical interpolation).</summary>
        public const string Rebinning = "rebinning";

        /// <summary>The projection-domain CNN.</summary>
        public const string ProjectionCnn = "projection CNN";

        /// <summary>Filtered backprojection (filtering and backprojection).</summary>
        public const string Fbp = "FBP";

        /// <summary>The image-domain CNN.</summary>
        public const string ImageCnn = "image CNN";
    }

    /// <summary>Seconds per stage, in first-run order.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Seconds => _order.Select(n => KeyValuePair.Create(n, _seconds[n])).ToList();

    /// <summary>Restarts the lap clock without charging the time since the last lap to any stage.</summary>
    public void Skip() => _clock.Restart();

    /// <summary>Charges the time since the last lap (or <see cref="Skip"/>) to <paramref name="stage"/>.</summary>
    public void Lap(string stage)
    {
        Add(stage, _clock.Elapsed.TotalSeconds);
        _clock.Restart();
    }

    /// <summary>Adds <paramref name="seconds"/> to <paramref name="stage"/>.</summary>
    public void Add(string stage, double seconds)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        if (_seconds.TryGetValue(stage, out var s))
        {
            _seconds[stage] = s + seconds;
        }
        else
        {
            _seconds[stage] = seconds;
            _order.Add(stage);
        }
    }
}
