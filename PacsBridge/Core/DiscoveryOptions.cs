namespace FedNano.PacsBridge;

/// <summary>Discovery settings (<c>Bridge:Discovery</c>).</summary>
public sealed class DiscoveryOptions
{
    /// <summary>Qido (default) or OrthancChanges.</summary>
    public DiscoveryMode Mode { get; set; } = DiscoveryMode.Qido;

    /// <summary>Time between discovery passes when running continuously (seconds, default 10).</summary>
    public double PollIntervalSeconds { get; set; } = 10;

    /// <summary>Qido: a series is complete once its instance count has been the same for this long (seconds, default 30).</summary>
    public double StableAgeSeconds { get; set; } = 30;

    /// <summary>Qido: only studies dated from this many days before the last pass (default 2; 0 = no date filter, every series is listed each pass).</summary>
    public int LookbackDays { get; set; } = 2;

    /// <summary>Qido: the Modality searched for (default CT; empty = any).</summary>
    public string Modality { get; set; } = "CT";

    /// <summary>OrthancChanges: Orthanc's REST root (e.g. http://127.0.0.1:8042); credentials are the source's.</summary>
    public string? OrthancUrl { get; set; }

    /// <summary>Checks the settings.</summary>
    public void Validate()
    {
        if (!(PollIntervalSeconds > 0) || !(StableAgeSeconds >= 0) || LookbackDays < 0)
            throw new ArgumentException("Bridge:Discovery: PollIntervalSeconds must be > 0, StableAgeSeconds and LookbackDays >= 0.");
        if (Mode == DiscoveryMode.OrthancChanges && !Uri.TryCreate(OrthancUrl, UriKind.Absolute, out _))
            throw new ArgumentException($"Bridge:Discovery:OrthancUrl '{OrthancUrl}' must be Orthanc's absolute REST URL for Mode OrthancChanges.");
    }
}
