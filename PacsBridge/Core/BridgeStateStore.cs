using System.Globalization;
using Microsoft.Data.Sqlite;

namespace FedNano.PacsBridge;

/// <summary>
/// The bridge's state in SQLite: every series seen with its step, job, attempts and last error, and the discovery
/// watermarks. Each state change is one transaction, so a bridge killed at any point resumes at the step it was in.
/// </summary>
public sealed class BridgeStateStore
{
    private const string Columns = "study_uid, series_uid, state, rule, instance_count, count_changed_at, job_id, output_series_uid, pushed, attempts, last_error, next_attempt_at, first_seen_at, updated_at";
    private readonly string _connectionString;

    /// <summary>Opens (creating when needed) the database at <paramref name="path"/>.</summary>
    public BridgeStateStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        DatabasePath = full;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = full, Pooling = false, DefaultTimeout = 30 }.ToString();
        using var c = Open();
        Execute(c, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS bridge_series (
                series_uid TEXT PRIMARY KEY, study_uid TEXT NOT NULL, state TEXT NOT NULL, rule TEXT, instance_count INTEGER,
                count_changed_at TEXT NOT NULL, job_id TEXT, output_series_uid TEXT, pushed INTEGER NOT NULL DEFAULT 0,
                attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, next_attempt_at TEXT, first_seen_at TEXT NOT NULL, updated_at TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_bridge_series_state ON bridge_series(state);
            CREATE TABLE IF NOT EXISTS bridge_watermark (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            """);
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>The series, or null.</summary>
    public BridgeSeries? Get(string seriesUid)
    {
        using var c = Open();
        return Query(c, $"SELECT {Columns} FROM bridge_series WHERE series_uid = $s", ("$s", seriesUid)).FirstOrDefault();
    }

    /// <summary>Most recently updated first.</summary>
    public IReadOnlyList<BridgeSeries> Recent(int limit = 50, BridgeSeriesState? state = null)
    {
        using var c = Open();
        return state is null
            ? Query(c, $"SELECT {Columns} FROM bridge_series ORDER BY updated_at DESC LIMIT $n", ("$n", limit))
            : Query(c, $"SELECT {Columns} FROM bridge_series WHERE state = $st ORDER BY updated_at DESC LIMIT $n", ("$n", limit), ("$st", state.ToString()));
    }

    /// <summary>Series in <paramref name="states"/> whose retry time has come, oldest first.</summary>
    public IReadOnlyList<BridgeSeries> Due(DateTimeOffset now, params BridgeSeriesState[] states)
    {
        using var c = Open();
        var names = string.Join(", ", states.Select(s => $"'{s}'"));
        return Query(c, $"SELECT {Columns} FROM bridge_series WHERE state IN ({names}) AND (next_attempt_at IS NULL OR next_attempt_at <= $now) ORDER BY first_seen_at",
            ("$now", Stamp(now)));
    }

    /// <summary>Records a discovered series: new ones start Pending; for Pending ones a changed count restarts the stability clock. Returns the row.</summary>
    public BridgeSeries Observe(SeriesCandidate candidate, DateTimeOffset now)
    {
        using var c = Open();
        Execute(c, """
            INSERT INTO bridge_series (series_uid, study_uid, state, instance_count, count_changed_at, first_seen_at, updated_at)
            VALUES ($s, $st, 'Pending', $n, $now, $now, $now)
            ON CONFLICT(series_uid) DO UPDATE SET
                count_changed_at = CASE WHEN state = 'Pending' AND IFNULL(instance_count, -1) <> IFNULL($n, -1) THEN $now ELSE count_changed_at END,
                instance_count = CASE WHEN state = 'Pending' THEN $n ELSE instance_count END
            """, ("$s", candidate.SeriesInstanceUid), ("$st", candidate.StudyInstanceUid), ("$n", candidate.InstanceCount), ("$now", Stamp(now)));
        return Get(candidate.SeriesInstanceUid)!;
    }

    /// <summary>Moves the series to <paramref name="state"/>, resetting attempts and the error (a step completed).</summary>
    public void Advance(string seriesUid, BridgeSeriesState state, string? rule = null, string? jobId = null, string? outputSeriesUid = null, int? pushed = null)
    {
        using var c = Open();
        Execute(c, """
            UPDATE bridge_series SET state = $state, rule = IFNULL($rule, rule), job_id = IFNULL($job, job_id),
                output_series_uid = IFNULL($out, output_series_uid), pushed = IFNULL($pushed, pushed),
                attempts = 0, last_error = NULL, next_attempt_at = NULL, updated_at = $now
            WHERE series_uid = $s
            """, ("$s", seriesUid), ("$state", state.ToString()), ("$rule", rule), ("$job", jobId), ("$out", outputSeriesUid), ("$pushed", pushed), ("$now", Stamp(DateTimeOffset.UtcNow)));
    }

    /// <summary>Records progress of a push (instances stored at the destination so far).</summary>
    public void RecordPushed(string seriesUid, int pushed)
    {
        using var c = Open();
        Execute(c, "UPDATE bridge_series SET pushed = $p, updated_at = $now WHERE series_uid = $s", ("$s", seriesUid), ("$p", pushed), ("$now", Stamp(DateTimeOffset.UtcNow)));
    }

    /// <summary>Records a failed attempt: the step stays, the next try waits until <paramref name="nextAttemptAt"/>.</summary>
    public void Fail(string seriesUid, string error, DateTimeOffset nextAttemptAt)
    {
        using var c = Open();
        Execute(c, "UPDATE bridge_series SET attempts = attempts + 1, last_error = $e, next_attempt_at = $next, updated_at = $now WHERE series_uid = $s",
            ("$s", seriesUid), ("$e", error), ("$next", Stamp(nextAttemptAt)), ("$now", Stamp(DateTimeOffset.UtcNow)));
    }

    /// <summary>Gives the series up with the reason.</summary>
    public void DeadLetter(string seriesUid, string reason)
    {
        using var c = Open();
        Execute(c, "UPDATE bridge_series SET state = 'DeadLetter', last_error = $e, next_attempt_at = NULL, updated_at = $now WHERE series_uid = $s",
            ("$s", seriesUid), ("$e", reason), ("$now", Stamp(DateTimeOffset.UtcNow)));
    }

    /// <summary>Puts a dead-lettered series back to Ready (an operator's retry).</summary>
    public bool Requeue(string seriesUid)
    {
        using var c = Open();
        return Execute(c, "UPDATE bridge_series SET state = CASE WHEN job_id IS NULL THEN 'Ready' ELSE 'Reconstructing' END, attempts = 0, next_attempt_at = NULL, updated_at = $now WHERE series_uid = $s AND state = 'DeadLetter'",
            ("$s", seriesUid), ("$now", Stamp(DateTimeOffset.UtcNow))) == 1;
    }

    /// <summary>A persisted discovery watermark, or null.</summary>
    public string? GetWatermark(string name)
    {
        using var c = Open();
        using var cmd = Command(c, "SELECT value FROM bridge_watermark WHERE name = $n", ("$n", name));
        return cmd.ExecuteScalar() as string;
    }

    /// <summary>Persists a discovery watermark.</summary>
    public void SetWatermark(string name, string value)
    {
        using var c = Open();
        Execute(c, "INSERT INTO bridge_watermark (name, value) VALUES ($n, $v) ON CONFLICT(name) DO UPDATE SET value = $v", ("$n", name), ("$v", value));
    }

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        return c;
    }

    private static SqliteCommand Command(SqliteConnection c, string sql, params (string, object?)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    private static int Execute(SqliteConnection c, string sql, params (string, object?)[] parameters)
    {
        using var cmd = Command(c, sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    private static List<BridgeSeries> Query(SqliteConnection c, string sql, params (string, object?)[] parameters)
    {
        using var cmd = Command(c, sql, parameters);
        using var r = cmd.ExecuteReader();
        var list = new List<BridgeSeries>();
        while (r.Read())
        {
            list.Add(new BridgeSeries(r.GetString(0), r.GetString(1), Enum.Parse<BridgeSeriesState>(r.GetString(2)), S(r, 3),
                r.IsDBNull(4) ? null : r.GetInt32(4), T(r, 5)!.Value, S(r, 6), S(r, 7), r.GetInt32(8), r.GetInt32(9), S(r, 10), T(r, 11), T(r, 12)!.Value, T(r, 13)!.Value));
        }
        return list;
    }

    private static string? S(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? T(SqliteDataReader r, int i) =>
        r.IsDBNull(i) ? null : DateTimeOffset.Parse(r.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
