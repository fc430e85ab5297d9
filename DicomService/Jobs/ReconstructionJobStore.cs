using System.Globalization;
using System.Text.Json;
using FedNano.DicomService.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Jobs;

/// <summary>
/// Reconstruction jobs and the raw-series watcher's state, in the service's SQLite database (tables
/// <c>reconstruction_jobs</c>, <c>reconstruction_series</c>, <c>reconstruction_state</c>). Every state change is one
/// conditional UPDATE, so a job is claimed by one worker only and a late worker cannot overwrite a cancellation.
/// </summary>
public sealed class ReconstructionJobStore
{
    private readonly string _connectionString;
    private readonly Lock _schemaGate = new();
    private volatile bool _schemaReady;

    /// <summary>Creates the store over <see cref="StorageOptions.DatabasePath"/>.</summary>
    public ReconstructionJobStore(IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.Value.DataPath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Value.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, options.Value.DatabaseBusyTimeoutSeconds),
        }.ToString();
        _busyMs = Math.Max(1, options.Value.DatabaseBusyTimeoutSeconds) * 1000;
    }

    private readonly int _busyMs;

    private const string Columns = "id, study_uid, series_uid, method, model, slice_spacing_mm, slice_thickness_mm, fov_mm, matrix_size, trigger, status, progress, stage, reason, output_series_uid, attempts, created_at, started_at, finished_at, slices, stage_seconds";

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = $"PRAGMA busy_timeout = {_busyMs};";
            pragma.ExecuteNonQuery();
        }
        if (!_schemaReady)
        {
            lock (_schemaGate)
            {
                if (!_schemaReady)
                {
                    Execute(connection, """
                        CREATE TABLE IF NOT EXISTS reconstruction_jobs (
                            id TEXT PRIMARY KEY, study_uid TEXT NOT NULL, series_uid TEXT NOT NULL, method TEXT NOT NULL, model TEXT,
                            slice_spacing_mm REAL NOT NULL, slice_thickness_mm REAL, fov_mm REAL, matrix_size INTEGER,
                            trigger TEXT NOT NULL, status TEXT NOT NULL, progress REAL NOT NULL DEFAULT 0, stage TEXT, reason TEXT,
                            output_series_uid TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,
                            started_at TEXT, finished_at TEXT, slices INTEGER, stage_seconds TEXT, seq INTEGER NOT NULL);
                        CREATE INDEX IF NOT EXISTS ix_reconstruction_jobs_status ON reconstruction_jobs(status, seq);
                        CREATE UNIQUE INDEX IF NOT EXISTS ux_reconstruction_jobs_auto ON reconstruction_jobs(series_uid) WHERE trigger = 'auto';
                        CREATE TABLE IF NOT EXISTS reconstruction_series (
                            series_uid TEXT PRIMARY KEY, study_uid TEXT NOT NULL, is_projection INTEGER NOT NULL,
                            expected_views INTEGER, last_instance_at TEXT NOT NULL, decided INTEGER NOT NULL DEFAULT 0);
                        CREATE TABLE IF NOT EXISTS reconstruction_state (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                        """);
                    _schemaReady = true;
                }
            }
        }
        return connection;
    }

    private static int Execute(SqliteConnection connection, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    private static string StatusName(ReconstructionJobStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>Parses a status name as the API writes it (queued, running, succeeded, failed, cancelled).</summary>
    public static bool TryParseStatus(string? name, out ReconstructionJobStatus status) =>
        Enum.TryParse(name, ignoreCase: true, out status) && Enum.IsDefined(status) && !int.TryParse(name, out _);

    /// <summary>Creates a queued job; for <paramref name="trigger"/> "auto" at most one per raw series (null when it exists).</summary>
    public ReconstructionJob? Create(string studyUid, string seriesUid, string method, string? model, double sliceSpacingMm,
        double? sliceThicknessMm, double? fovMm, int? matrixSize, string trigger, string outputSeriesUid)
    {
        using var connection = Open();
        var id = Guid.NewGuid().ToString("N");
        int rows = Execute(connection, $"""
            INSERT OR IGNORE INTO reconstruction_jobs (id, study_uid, series_uid, method, model, slice_spacing_mm, slice_thickness_mm, fov_mm,
                matrix_size, trigger, status, progress, output_series_uid, attempts, created_at, seq)
            VALUES ($id, $study, $series, $method, $model, $spacing, $thickness, $fov, $matrix, $trigger, 'queued', 0, $output, 0, $now,
                (SELECT IFNULL(MAX(seq), 0) + 1 FROM reconstruction_jobs))
            """,
            ("$id", id), ("$study", studyUid), ("$series", seriesUid), ("$method", method), ("$model", model), ("$spacing", sliceSpacingMm),
            ("$thickness", sliceThicknessMm), ("$fov", fovMm), ("$matrix", matrixSize), ("$trigger", trigger), ("$output", outputSeriesUid), ("$now", Now()));
        return rows == 1 ? Get(id) : null;
    }

    /// <summary>The job, or null.</summary>
    public ReconstructionJob? Get(string id)
    {
        using var connection = Open();
        using var command = Command(connection, $"SELECT {Columns} FROM reconstruction_jobs WHERE id = $id", ("$id", id));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>Jobs, newest first, optionally of one status and one raw series.</summary>
    public IReadOnlyList<ReconstructionJob> List(ReconstructionJobStatus? status = null, string? seriesUid = null, int limit = 100, int offset = 0)
    {
        using var connection = Open();
        using var command = Command(connection, $"""
            SELECT {Columns} FROM reconstruction_jobs
            WHERE ($status IS NULL OR status = $status) AND ($series IS NULL OR series_uid = $series)
            ORDER BY seq DESC LIMIT $limit OFFSET $offset
            """, ("$status", status is { } s ? StatusName(s) : null), ("$series", seriesUid), ("$limit", limit), ("$offset", offset));
        using var reader = command.ExecuteReader();
        var jobs = new List<ReconstructionJob>();
        while (reader.Read()) jobs.Add(Read(reader));
        return jobs;
    }

    /// <summary>Takes the oldest queued job for a worker (queued → running, attempts + 1), or null when none waits.</summary>
    public ReconstructionJob? ClaimNext()
    {
        using var connection = Open();
        using var command = Command(connection, """
            UPDATE reconstruction_jobs SET status = 'running', attempts = attempts + 1, started_at = $now, progress = 0, stage = 'starting',
                reason = NULL, stage_seconds = NULL
            WHERE id = (SELECT id FROM reconstruction_jobs WHERE status = 'queued' ORDER BY seq LIMIT 1) AND status = 'queued'
            RETURNING id
            """, ("$now", Now()));
        var id = command.ExecuteScalar() as string;
        return id is null ? null : Get(id);
    }

    /// <summary>Records progress of a running attempt; false when the job is no longer running that attempt (cancelled).</summary>
    public bool ReportProgress(string id, int attempt, double percent, string stage) =>
        Update("progress = $p, stage = $stage", id, attempt, ("$p", Math.Clamp(percent, 0, 100)), ("$stage", stage));

    /// <summary>running → succeeded.</summary>
    public bool Succeed(string id, int attempt, int slices, IReadOnlyDictionary<string, double> stageSeconds) =>
        Update("status = 'succeeded', progress = 100, stage = 'done', finished_at = $now, slices = $slices, stage_seconds = $stages",
            id, attempt, ("$now", Now()), ("$slices", slices), ("$stages", JsonSerializer.Serialize(stageSeconds)));

    /// <summary>running → failed with <paramref name="reason"/>.</summary>
    public bool Fail(string id, int attempt, string reason, IReadOnlyDictionary<string, double>? stageSeconds = null) =>
        Update("status = 'failed', finished_at = $now, reason = $reason, stage_seconds = $stages", id, attempt,
            ("$now", Now()), ("$reason", reason), ("$stages", stageSeconds is null ? null : JsonSerializer.Serialize(stageSeconds)));

    /// <summary>running → queued (the service is stopping; the attempt starts again later).</summary>
    public bool Requeue(string id, int attempt) => Update("status = 'queued', stage = 'requeued', progress = 0", id, attempt);

    private bool Update(string set, string id, int attempt, params (string, object?)[] parameters)
    {
        using var connection = Open();
        var all = parameters.Append(("$id", id)).Append(("$attempt", attempt)).ToArray();
        return Execute(connection, $"UPDATE reconstruction_jobs SET {set} WHERE id = $id AND status = 'running' AND attempts = $attempt", all) == 1;
    }

    /// <summary>queued or running → cancelled; false when the job is already final.</summary>
    public bool Cancel(string id, string reason)
    {
        using var connection = Open();
        return Execute(connection, "UPDATE reconstruction_jobs SET status = 'cancelled', finished_at = $now, reason = $reason WHERE id = $id AND status IN ('queued', 'running')",
            ("$id", id), ("$now", Now()), ("$reason", reason)) == 1;
    }

    /// <summary>failed or cancelled → queued; false otherwise.</summary>
    public bool Retry(string id)
    {
        using var connection = Open();
        return Execute(connection, """
            UPDATE reconstruction_jobs SET status = 'queued', progress = 0, stage = 'retry', reason = NULL, finished_at = NULL,
                seq = (SELECT IFNULL(MAX(seq), 0) + 1 FROM reconstruction_jobs)
            WHERE id = $id AND status IN ('failed', 'cancelled')
            """, ("$id", id)) == 1;
    }

    /// <summary>At startup: jobs a stopped or crashed process left running go back to the queue. Returns how many.</summary>
    public int RequeueInterrupted()
    {
        using var connection = Open();
        return Execute(connection, "UPDATE reconstruction_jobs SET status = 'queued', stage = 'requeued after restart', progress = 0 WHERE status = 'running'");
    }

    // ------------------------------------------------------------------ raw-series watcher state

    /// <summary>The change feed sequence the watcher has processed up to.</summary>
    public long GetFeedOffset()
    {
        using var connection = Open();
        using var command = Command(connection, "SELECT value FROM reconstruction_state WHERE name = 'feed_offset'");
        return command.ExecuteScalar() is long v ? v : 0;
    }

    /// <summary>Records what the watcher saw in one batch of the change feed and the new offset, in one transaction.</summary>
    public void SaveWatch(long offset, IEnumerable<WatchedSeries> seen)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        foreach (var s in seen)
        {
            using var command = Command(connection, """
                INSERT INTO reconstruction_series (series_uid, study_uid, is_projection, expected_views, last_instance_at, decided)
                VALUES ($series, $study, $proj, $expected, $at, $decided)
                ON CONFLICT(series_uid) DO UPDATE SET last_instance_at = excluded.last_instance_at
                """, ("$series", s.SeriesInstanceUid), ("$study", s.StudyInstanceUid), ("$proj", s.IsProjection ? 1 : 0),
                ("$expected", s.ExpectedViews), ("$at", s.LastInstanceAt.ToString("O", CultureInfo.InvariantCulture)), ("$decided", s.IsProjection ? 0 : 1));
            command.Transaction = transaction;
            command.ExecuteNonQuery();
        }
        using (var state = Command(connection, "INSERT INTO reconstruction_state (name, value) VALUES ('feed_offset', $v) ON CONFLICT(name) DO UPDATE SET value = excluded.value", ("$v", offset)))
        {
            state.Transaction = transaction;
            state.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <summary>Whether the watcher already knows the series (and so need not look at its instances again).</summary>
    public WatchedSeries? GetWatched(string seriesUid)
    {
        using var connection = Open();
        using var command = Command(connection, "SELECT series_uid, study_uid, is_projection, expected_views, last_instance_at, decided FROM reconstruction_series WHERE series_uid = $s", ("$s", seriesUid));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadWatched(reader) : null;
    }

    /// <summary>Raw series that have no job yet.</summary>
    public IReadOnlyList<WatchedSeries> Undecided()
    {
        using var connection = Open();
        using var command = Command(connection, "SELECT series_uid, study_uid, is_projection, expected_views, last_instance_at, decided FROM reconstruction_series WHERE decided = 0 AND is_projection = 1");
        using var reader = command.ExecuteReader();
        var list = new List<WatchedSeries>();
        while (reader.Read()) list.Add(ReadWatched(reader));
        return list;
    }

    /// <summary>Marks a raw series as handled (its automatic job exists).</summary>
    public void MarkDecided(string seriesUid)
    {
        using var connection = Open();
        Execute(connection, "UPDATE reconstruction_series SET decided = 1 WHERE series_uid = $s", ("$s", seriesUid));
    }

    private static WatchedSeries ReadWatched(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetInt64(2) == 1, r.IsDBNull(3) ? null : (int)r.GetInt64(3),
        DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture), r.GetInt64(5) == 1);

    private static ReconstructionJob Read(SqliteDataReader r)
    {
        static string? S(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
        static double? D(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
        static DateTimeOffset? T(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.Parse(r.GetString(i), CultureInfo.InvariantCulture);
        return new ReconstructionJob(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), S(r, 4), r.GetDouble(5), D(r, 6), D(r, 7),
            r.IsDBNull(8) ? null : (int)r.GetInt64(8), r.GetString(9),
            Enum.Parse<ReconstructionJobStatus>(r.GetString(10), ignoreCase: true), r.GetDouble(11), S(r, 12), S(r, 13), r.GetString(14),
            (int)r.GetInt64(15), DateTimeOffset.Parse(r.GetString(16), CultureInfo.InvariantCulture), T(r, 17), T(r, 18),
            r.IsDBNull(19) ? null : (int)r.GetInt64(19),
            S(r, 20) is { } json ? JsonSerializer.Deserialize<Dictionary<string, double>>(json) : null);
    }
}
