namespace FedNano.FederatedMLLM.Federation;

/// <summary>
/// Runs the federation's rounds: once <see cref="RoundOptions.MinClients"/> sites have checked in, a round opens for
/// a sample of them; selected sites fetch their <see cref="RoundTask"/> and submit updates, each validated (a bad
/// one is rejected with its reason, the round goes on); the round closes when every selected site has answered or
/// at its deadline (sites that dropped out do not stall it), aggregating the accepted updates into a new, versioned
/// global adapter set. Every change is snapshotted, so a restarted server resumes where it stopped, and audited.
/// Thread-safe.
/// </summary>
public sealed class RoundsCoordinator
{
    private readonly Lock _gate = new();
    private readonly IAggregator _aggregator;
    private readonly UpdateValidator _validator;
    private readonly RoundOptions _options;
    private readonly TimeProvider _clock;
    private readonly string _snapshotPath;
    private readonly AuditLog _audit;
    private readonly HashSet<string> _checkedIn = new(StringComparer.Ordinal);
    private readonly List<RoundRecord> _rounds;
    private readonly Dictionary<string, SiteUpdate> _updates = new(StringComparer.Ordinal);
    private AdapterSet _global;
    private readonly Dictionary<string, (int Round, AdapterSet Adapters)> _bySite = new(StringComparer.Ordinal);
    private string _version;

    /// <summary>
    /// A coordinator starting from <paramref name="initial"/> (version "v0") or, when <paramref name="snapshotPath"/>
    /// holds a snapshot, from where that federation stopped (an open round resumes with its deadline and the updates
    /// it had accepted).
    /// </summary>
    public RoundsCoordinator(AdapterSet initial, IAggregator aggregator, UpdateValidator validator, RoundOptions options, string snapshotPath, AuditLog audit, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _aggregator = aggregator ?? throw new ArgumentNullException(nameof(aggregator));
        _validator = validator ?? throw new ArgumentNullException(nameof(validator));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _options.Validate();
        _snapshotPath = snapshotPath ?? throw new ArgumentNullException(nameof(snapshotPath));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _clock = clock ?? TimeProvider.System;
        if (FederationSnapshot.Load(snapshotPath) is { } snapshot)
        {
            _global = snapshot.GlobalAdapters();
            if (!_global.SameLayout(initial)) throw new FormatException($"Federation snapshot {snapshotPath} holds adapters of another layout than the configured ones.");
            _version = snapshot.GlobalVersion;
            _rounds = snapshot.Rounds;
            foreach (var u in snapshot.PendingUpdates()) _updates[u.SiteId] = u;
            foreach (var (site, round, adapters) in snapshot.SiteAdapterSets()) _bySite[site] = (round, adapters);
            _audit.Write("resumed", detail: $"global {_version}, {_rounds.Count} rounds");
        }
        else
        {
            _global = initial;
            _version = "v0";
            _rounds = [];
            _audit.Write("started", detail: $"aggregator {aggregator.Name}, {initial.ParameterCount} adapter parameters");
        }
    }

    /// <summary>The global adapters now and their version.</summary>
    public (AdapterSet Adapters, string Version) Global { get { lock (_gate) return (_global, _version); } }

    /// <summary>The adapters <paramref name="siteId"/> contributed to the last aggregated round it took part in, or null.</summary>
    public (int Round, AdapterSet Adapters)? SiteAdapters(string siteId)
    {
        lock (_gate) return _bySite.TryGetValue(siteId, out var v) ? v : null;
    }

    /// <summary>The rounds so far (copies).</summary>
    public IReadOnlyList<RoundRecord> Rounds { get { lock (_gate) return _rounds.Select(Copy).ToList(); } }

    /// <summary>Whether all configured rounds have been aggregated.</summary>
    public bool Finished { get { lock (_gate) return _rounds.Count(r => r.State == "aggregated") >= _options.Rounds; } }

    /// <summary>Sites that have checked in since the server started.</summary>
    public IReadOnlyCollection<string> CheckedIn { get { lock (_gate) return _checkedIn.Order(StringComparer.Ordinal).ToList(); } }

    /// <summary>
    /// The task of <paramref name="siteId"/> in the open round, or null (not selected, already answered, no round
    /// yet, or finished). Checks the site in, and opens a round when enough sites have.
    /// </summary>
    public RoundTask? TaskFor(string siteId)
    {
        lock (_gate)
        {
            if (_checkedIn.Add(siteId)) _audit.Write("check-in", siteId);
            Advance();
            var open = Open();
            if (open is null || !open.Selected.Contains(siteId) || Answered(open, siteId)) return null;
            return new RoundTask(open.Round, open.StartVersion, _global, _aggregator.Name, _aggregator.NeedsFisher, _aggregator.ProximalMu, open.DeadlineUtc);
        }
    }

    /// <summary>Takes <paramref name="update"/> for <paramref name="round"/>; returns the verdict (also audited).</summary>
    public UpdateVerdict Submit(int round, SiteUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            Advance();
            var open = Open();
            UpdateVerdict verdict;
            if (open is null || open.Round != round) verdict = UpdateVerdict.Reject($"round {round} is not open{(open is null ? "" : $" (round {open.Round} is)")}");
            else if (!open.Selected.Contains(update.SiteId)) verdict = UpdateVerdict.Reject($"site '{update.SiteId}' was not selected for round {round}");
            else if (Answered(open, update.SiteId)) verdict = UpdateVerdict.Reject($"site '{update.SiteId}' already answered round {round}");
            else verdict = _validator.Check(_global, update, _aggregator.NeedsFisher);
            if (open is not null && open.Round == round && open.Selected.Contains(update.SiteId) && !Answered(open, update.SiteId))
            {
                if (verdict.Accepted)
                {
                    open.Accepted[update.SiteId] = update.SampleCount;
                    _updates[update.SiteId] = update;
                    if (Privacy(update) is { } privacy) open.Privacy[update.SiteId] = privacy;
                }
                else open.Rejected[update.SiteId] = verdict.Reason!;
            }
            _audit.Write(verdict.Accepted ? "update-accepted" : "update-rejected", update.SiteId, round,
                verdict.Accepted ? $"norm {verdict.UpdateNorm:G4}, {update.SampleCount} samples{(Privacy(update) is { } p ? ", differential privacy: " + p : "")}" : verdict.Reason);
            Advance();
            Save();
            return verdict;
        }
    }

    private static string? Privacy(SiteUpdate update) =>
        update.DpClipNorm > 0 || update.DpNoiseMultiplier > 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"clip {update.DpClipNorm:G4}, noise multiplier {update.DpNoiseMultiplier:G4}")
            : null;

    /// <summary>Records a site's reported local loss for the open round (shown in the REST view and results).</summary>
    public void ReportLoss(int round, string siteId, double loss)
    {
        lock (_gate)
        {
            if (_rounds.FirstOrDefault(r => r.Round == round) is { } record && double.IsFinite(loss)) record.Loss[siteId] = loss;
        }
    }

    /// <summary>Closes the open round when it is complete or past its deadline, and opens the next when it can. Called by every request and by a timer.</summary>
    public void Tick()
    {
        lock (_gate) Advance();
    }

    private void Advance()
    {
        var now = _clock.GetUtcNow();
        if (Open() is { } open)
        {
            bool complete = open.Selected.All(s => Answered(open, s));
            if (!complete && now < open.DeadlineUtc) return;
            open.ClosedUtc = now;
            var accepted = open.Accepted.Keys.Where(_updates.ContainsKey).Select(s => _updates[s]).ToList();
            if (accepted.Count >= _options.MinUpdates)
            {
                _global = _aggregator.Aggregate(_global, accepted);
                foreach (var u in accepted) _bySite[u.SiteId] = (open.Round, u.Adapters);
                _version = $"v{open.Round}";
                open.State = "aggregated";
                open.ResultVersion = _version;
                _audit.Write("round-aggregated", round: open.Round, detail: $"{accepted.Count} of {open.Selected.Count} sites ({string.Join(", ", accepted.Select(u => u.SiteId))}) → global {_version}{(complete ? "" : ", closed at the deadline")}");
            }
            else
            {
                open.State = "abandoned";
                _audit.Write("round-abandoned", round: open.Round, detail: $"{accepted.Count} accepted updates by the deadline, {_options.MinUpdates} needed; global stays {_version}");
            }
            _updates.Clear();
            Save();
        }
        if (Open() is null && !Finished && _checkedIn.Count >= _options.MinClients)
        {
            int number = _rounds.Count + 1;
            var random = new Random(number);
            int take = Math.Max(_options.MinClients, (int)Math.Ceiling(_options.SampleFraction * _checkedIn.Count));
            var selected = _checkedIn.Order(StringComparer.Ordinal).OrderBy(_ => random.Next()).Take(take).Order(StringComparer.Ordinal).ToList();
            var record = new RoundRecord { Round = number, OpenedUtc = now, DeadlineUtc = now.AddSeconds(_options.RoundDeadlineSeconds), StartVersion = _version, Selected = selected };
            _rounds.Add(record);
            _audit.Write("round-opened", round: number, detail: $"sites {string.Join(", ", selected)}, deadline {record.DeadlineUtc:O}");
            Save();
        }
    }

    private RoundRecord? Open() => _rounds.LastOrDefault() is { State: "open" } r ? r : null;

    private static bool Answered(RoundRecord round, string site) => round.Accepted.ContainsKey(site) || round.Rejected.ContainsKey(site);

    private void Save() => FederationSnapshot.Of(_version, _global, _rounds, _updates.Values, _bySite.Select(p => (p.Key, p.Value.Round, p.Value.Adapters))).Save(_snapshotPath);

    private static RoundRecord Copy(RoundRecord r) => new()
    {
        Round = r.Round, State = r.State, OpenedUtc = r.OpenedUtc, DeadlineUtc = r.DeadlineUtc, ClosedUtc = r.ClosedUtc, StartVersion = r.StartVersion,
        ResultVersion = r.ResultVersion, Selected = [.. r.Selected], Accepted = new(r.Accepted), Rejected = new(r.Rejected), Loss = new(r.Loss), Privacy = new(r.Privacy),
    };
}
