using FedNano.FederatedMLLM.Federation;
using FedNano.Testing;
using Xunit;

namespace FedNano.FederatedMLLM.Tests.Federation;

/// <summary>Rounds: open when enough sites check in, close when all answered or at the deadline, survive bad updates and restarts.</summary>
public sealed class RoundsCoordinatorTests : IDisposable
{
    private readonly TempDirectory _work = new("rounds");
    private readonly ManualClock _clock = new();

    public void Dispose() => _work.Dispose();

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly AdapterSet Initial = new([new AdapterTensor("image.up.weight", [2], [0, 0])]);

    private string Snapshot => Path.Combine(_work.Path, "federation.json");

    private AuditLog Audit => new(Path.Combine(_work.Path, "audit.jsonl"), _clock);

    private RoundsCoordinator Coordinator(IAggregator? aggregator = null, int minClients = 3, int minUpdates = 1) =>
        new(Initial, aggregator ?? new FedAvg(), new UpdateValidator(new UpdateValidationOptions { MaxUpdateNorm = 100 }),
            new RoundOptions { MinClients = minClients, MinUpdates = minUpdates, RoundDeadlineSeconds = 60, Rounds = 3 }, Snapshot, Audit, _clock);

    private static SiteUpdate Update(string site, float a, float b, long n = 1) => new(site, new AdapterSet([new AdapterTensor("image.up.weight", [2], [a, b])]), n);

    [Fact]
    public void A_round_opens_only_once_the_minimum_of_sites_has_checked_in()
    {
        var c = Coordinator();
        Assert.Null(c.TaskFor("a"));
        Assert.Null(c.TaskFor("b"));
        var task = c.TaskFor("c");
        Assert.NotNull(task);
        Assert.Equal(1, task!.Round);
        Assert.Equal("v0", task.GlobalVersion);
        Assert.NotNull(c.TaskFor("a")); // a and b get the task when they ask again
    }

    [Fact]
    public void A_privatised_update_is_recorded_with_the_clip_and_noise_multiplier_the_site_reported()
    {
        var c = Coordinator();
        foreach (var s in new[] { "a", "b", "c" }) c.TaskFor(s);
        Assert.True(c.Submit(1, Update("a", 1, 2) with { DpClipNorm = 0.5, DpNoiseMultiplier = 1.1 }).Accepted);
        Assert.True(c.Submit(1, Update("b", 1, 2)).Accepted);
        Assert.Equal("clip 0.5, noise multiplier 1.1", c.Rounds[0].Privacy["a"]);
        Assert.False(c.Rounds[0].Privacy.ContainsKey("b"));
        Assert.Contains(Audit.Read(), e => e.GetProperty("event").GetString() == "update-accepted" && e.GetProperty("site").GetString() == "a" && e.GetProperty("detail").GetString()!.Contains("noise multiplier 1.1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_round_where_every_site_answered_is_aggregated_into_a_new_version()
    {
        var c = Coordinator();
        foreach (var s in new[] { "a", "b", "c" }) c.TaskFor(s);
        Assert.True(c.Submit(1, Update("a", 1, 2)).Accepted);
        Assert.True(c.Submit(1, Update("b", 3, 4)).Accepted);
        Assert.True(c.Submit(1, Update("c", 5, 6, n: 2)).Accepted);

        var (global, version) = c.Global;
        Assert.Equal("v1", version);
        Assert.Equal([3.5f, 4.5f], global.Flatten()); // (1 + 3 + 2·5)/4, (2 + 4 + 2·6)/4
        Assert.Equal("aggregated", c.Rounds[0].State);
        Assert.Equal(2, c.Rounds.Count); // the next round opened at once
    }

    [Fact]
    public void A_site_that_drops_out_does_not_stall_the_round_it_closes_at_the_deadline()
    {
        var c = Coordinator();
        foreach (var s in new[] { "a", "b", "c" }) c.TaskFor(s);
        c.Submit(1, Update("a", 1, 1));
        c.Submit(1, Update("b", 3, 3));
        c.Tick();
        Assert.Equal("v0", c.Global.Version); // c has not answered, the deadline is not reached

        _clock.Now = _clock.Now.AddSeconds(61);
        c.Tick();
        Assert.Equal("v1", c.Global.Version);
        Assert.Equal([2f, 2f], c.Global.Adapters.Flatten());
        Assert.Contains(Audit.Read(), e => e.GetProperty("event").GetString() == "round-aggregated" && e.GetProperty("detail").GetString()!.Contains("closed at the deadline"));
    }

    [Fact]
    public void A_NaN_update_is_rejected_with_its_reason_and_the_round_goes_on_without_it()
    {
        var c = Coordinator();
        foreach (var s in new[] { "a", "b", "c" }) c.TaskFor(s);
        var verdict = c.Submit(1, Update("a", float.NaN, 0));
        Assert.False(verdict.Accepted);
        c.Submit(1, Update("b", 2, 2));
        c.Submit(1, Update("c", 4, 4));

        Assert.Equal("v1", c.Global.Version);
        Assert.Equal([3f, 3f], c.Global.Adapters.Flatten());
        Assert.Contains("non-finite", c.Rounds[0].Rejected["a"]);
        Assert.Contains(Audit.Read(), e => e.GetProperty("event").GetString() == "update-rejected" && e.GetProperty("site").GetString() == "a");
    }

    [Fact]
    public void An_oversized_update_is_rejected()
    {
        var c = Coordinator();
        foreach (var s in new[] { "a", "b", "c" }) c.TaskFor(s);
        var verdict = c.Submit(1, Update("a", 1000, 0));
        Assert.False(verdict.Accepted);
        Assert.Contains("exceeds the bound", verdict.Reason);
    }

    [Fact]
    public void A_round_with_too_few_accepted_updates_at_its_deadline_is_abandoned_and_the_global_adapters_stay()
    {
        var c = Coordinator(minUpdates: 2);
        foreach (var s in new[] { "a", "b", "c" }) c.TaskFor(s);
        c.Submit(1, Update("a", 1, 1));
        _clock.Now = _clock.Now.AddSeconds(61);
        c.Tick();
        Assert.Equal("abandoned", c.Rounds[0].State);
        Assert.Equal("v0", c.Global.Version);
        Assert.Equal(2, c.Rounds[1].Round);
    }

    [Fact]
    public void Unselected_late_or_repeated_submissions_are_refused()
    {
        var c = Coordinator();
        foreach (var s in new[] { "a", "b", "c" }) c.TaskFor(s);
        Assert.Contains("round 7 is not open", c.Submit(7, Update("a", 1, 1)).Reason);
        Assert.Contains("was not selected", c.Submit(1, Update("stranger", 1, 1)).Reason);
        Assert.True(c.Submit(1, Update("a", 1, 1)).Accepted);
        Assert.Contains("already answered", c.Submit(1, Update("a", 2, 2)).Reason);
    }

    [Fact]
    public void A_restarted_coordinator_resumes_the_open_round_with_the_updates_it_had_accepted()
    {
        var first = Coordinator();
        foreach (var s in new[] { "a", "b", "c" }) first.TaskFor(s);
        first.Submit(1, Update("a", 1, 1));
        first.Submit(1, Update("b", 3, 3));

        var restarted = Coordinator(); // same snapshot file: the server came back
        Assert.Equal(1, restarted.Rounds.Single().Round);
        Assert.Equal("open", restarted.Rounds[0].State);
        Assert.True(restarted.Submit(1, Update("c", 5, 5)).Accepted);
        Assert.Equal("v1", restarted.Global.Version);
        Assert.Equal([3f, 3f], restarted.Global.Adapters.Flatten()); // a's and b's updates survived the restart
        Assert.Contains(Audit.Read(), e => e.GetProperty("event").GetString() == "resumed");
    }

    [Fact]
    public void The_federation_finishes_after_its_configured_rounds()
    {
        var c = Coordinator(minClients: 1);
        for (int round = 1; round <= 3; round++)
        {
            var task = c.TaskFor("a");
            Assert.Equal(round, task!.Round);
            c.Submit(round, Update("a", round, round));
        }
        Assert.True(c.Finished);
        Assert.Null(c.TaskFor("a"));
        Assert.Equal("v3", c.Global.Version);
    }

    [Fact]
    public void A_Fisher_round_tells_sites_to_send_a_Fisher_estimate()
    {
        var c = Coordinator(new FisherMerge(), minClients: 1);
        var task = c.TaskFor("a")!;
        Assert.True(task.NeedsFisher);
        Assert.Contains("no Fisher", c.Submit(1, Update("a", 1, 1)).Reason);
    }
}
