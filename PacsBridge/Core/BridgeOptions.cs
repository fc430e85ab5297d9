namespace FedNano.PacsBridge;

/// <summary>Settings of the PACS bridge (configuration section <c>Bridge</c>).</summary>
public sealed class BridgeOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Bridge";

    /// <summary>The PACS watched for raw scans (DICOMweb).</summary>
    public DicomWebClientOptions Source { get; set; } = new();

    /// <summary>The FedNano service (its root URL, e.g. http://127.0.0.1:5080; DICOMweb is under /dicomweb).</summary>
    public DicomWebClientOptions Service { get; set; } = new();

    /// <summary>Named result destinations a rule may send to; "source" (the default) is <see cref="Source"/>.</summary>
    public Dictionary<string, DicomWebClientOptions> Destinations { get; set; } = [];

    /// <summary>How new series are found.</summary>
    public DiscoveryOptions Discovery { get; set; } = new();

    /// <summary>Which series are raw helical scans and what to do with them, first match wins; none configured: one rule that takes every DICOM-CT-PD series with the service's default method back to the source.</summary>
    public List<RoutingRule> Rules { get; set; } = [];

    /// <summary>Attempts per series before it is dead-lettered, counting transient failures (default 20).</summary>
    public int MaxAttempts { get; set; } = 20;

    /// <summary>First retry delay, doubled per attempt (seconds, default 5).</summary>
    public double InitialBackoffSeconds { get; set; } = 5;

    /// <summary>Longest retry delay (seconds, default 300).</summary>
    public double MaxBackoffSeconds { get; set; } = 300;

    /// <summary>SQLite file of the bridge's state (default pacsbridge.db in the working directory).</summary>
    public string StateDatabase { get; set; } = "pacsbridge.db";

    /// <summary>Instances per STOW request (default 64); raw views are forwarded in batches of this size, one STOW in flight while the next batch is retrieved.</summary>
    public int StowBatchSize { get; set; } = 64;

    /// <summary>How often a reconstruction job is polled (seconds, default 1).</summary>
    public double JobPollIntervalSeconds { get; set; } = 1;

    /// <summary>A job that has not finished after this long counts as a transient failure of the attempt (minutes, default 120).</summary>
    public double JobTimeoutMinutes { get; set; } = 120;

    /// <summary>
    /// Series taken through their steps at the same time (default 2): with two, the next scan's transfer to the service
    /// overlaps the current reconstruction, so a queue drains at the service's pace rather than at transfer + job time.
    /// </summary>
    public int MaxConcurrentSeries { get; set; } = 2;

    /// <summary>The rules in force: <see cref="Rules"/>, or the default rule.</summary>
    public IReadOnlyList<RoutingRule> EffectiveRules => Rules.Count > 0 ? Rules : [new RoutingRule { Name = "default" }];

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A URL, rule or limit is invalid; the message names it.</exception>
    public void Validate()
    {
        Source.Validate();
        Service.Validate();
        foreach (var (name, destination) in Destinations)
        {
            if (string.Equals(name, RoutingRule.SourceDestination, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"Destination name '{name}' is reserved for the source PACS.");
            destination.Validate();
        }
        foreach (var rule in EffectiveRules) rule.Validate(Destinations.Keys);
        Discovery.Validate();
        if (MaxAttempts < 1) throw new ArgumentException($"Bridge:MaxAttempts must be at least 1 (got {MaxAttempts}).");
        if (!(InitialBackoffSeconds > 0 && MaxBackoffSeconds >= InitialBackoffSeconds))
            throw new ArgumentException("Bridge:InitialBackoffSeconds must be > 0 and <= MaxBackoffSeconds.");
        if (StowBatchSize is < 1 or > 10_000) throw new ArgumentException($"Bridge:StowBatchSize must lie in 1..10000 (got {StowBatchSize}).");
        if (!(JobPollIntervalSeconds > 0) || !(JobTimeoutMinutes > 0)) throw new ArgumentException("Bridge:JobPollIntervalSeconds and JobTimeoutMinutes must be positive.");
        if (MaxConcurrentSeries is < 1 or > 64) throw new ArgumentException($"Bridge:MaxConcurrentSeries must lie in 1..64 (got {MaxConcurrentSeries}).");
        if (string.IsNullOrWhiteSpace(StateDatabase)) throw new ArgumentException("Bridge:StateDatabase is required.");
    }

    /// <summary>The destination <paramref name="name"/> resolves to.</summary>
    public DicomWebClientOptions Destination(string? name) =>
        name is null || string.Equals(name, RoutingRule.SourceDestination, StringComparison.OrdinalIgnoreCase) ? Source : Destinations[name];
}
