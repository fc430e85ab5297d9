using System.IO.Compression;
using FedNano.Dicom;
using FedNano.DicomService.Core.Query;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Core.Storage.Sqlite;

/// <summary>
/// The index in SQLite (<c>{DataDirectory}/index.db</c>, WAL mode). Tables: <c>studies</c> and <c>series</c> (one row
/// per study and series with at least one created instance, holding the QIDO attributes), <c>instances</c> (every
/// instance with its state: 0 creating, 1 created; the row id is the watermark and is never reused),
/// <c>instance_data</c> (metadata JSON, deflated, and frame/bulk data locations) and <c>changefeed</c>.
/// Writes are serialized in-process (one writer at a time) and use <c>BEGIN IMMEDIATE</c> with a busy timeout across processes.
/// </summary>
public sealed partial class SqliteIndexStore : IIndexStore, IDisposable
{
    private readonly string _connectionString;
    private readonly string _databasePath;
    private readonly string _pragmas;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ILogger _logger;

    /// <summary>Creates the store for <see cref="StorageOptions.DatabasePath"/>.</summary>
    public SqliteIndexStore(IOptions<StorageOptions> options, ILogger<SqliteIndexStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _databasePath = o.DatabasePath;
        var timeout = Math.Max(1, o.DatabaseBusyTimeoutSeconds);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = timeout,
        }.ToString();
        _pragmas = $"PRAGMA busy_timeout = {timeout * 1000}; PRAGMA synchronous = {(o.DurableCommits ? "FULL" : "NORMAL")}; PRAGMA temp_store = MEMORY;";
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _writeLock.Dispose();
        // Close this database's pooled connections (which checkpoints and removes the WAL file).
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    // ------------------------------------------------------------------ plumbing

    private volatile bool _schemaReady;
    private readonly object _schemaLock = new();

    /// <summary>Opens a connection; the schema is created first if <see cref="InitializeAsync"/> has not run yet.</summary>
    private SqliteConnection Open()
    {
        if (!_schemaReady)
        {
            lock (_schemaLock)
            {
                if (!_schemaReady) InitializeSchema();
            }
        }
        return OpenRaw();
    }

    private SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static long ExecuteScalarLong(SqliteCommand command) => Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE), serialized with every other write of this process.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = work(connection, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream(data.Length / 4 + 16);
        output.WriteByte(1);
        using (var deflate = new DeflateStream(output, CompressionLevel.Fastest, leaveOpen: true)) deflate.Write(data);
        return output.ToArray();
    }

    private static byte[] Decompress(byte[] stored)
    {
        if (stored.Length == 0 || stored[0] != 1) return stored;
        using var input = new MemoryStream(stored, 1, stored.Length - 1, writable: false);
        using var deflate = new DeflateStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream(stored.Length * 4);
        deflate.CopyTo(output);
        return output.ToArray();
    }

    // ------------------------------------------------------------------ schema

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        lock (_schemaLock) InitializeSchema();
        return Task.CompletedTask;
    }

    private void InitializeSchema()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_databasePath)!);
        using var connection = OpenRaw();
        using (var wal = Command(connection, null, "PRAGMA journal_mode = WAL;"))
        {
            var mode = wal.ExecuteScalar() as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                _logger.LogWarning("SQLite refused WAL mode (journal mode is {Mode}); concurrent reads will wait for writes.", mode);
        }
        using (var info = Command(connection, null, "CREATE TABLE IF NOT EXISTS schema_info (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);"))
            info.ExecuteNonQuery();
        using var transaction = connection.BeginTransaction(deferred: false);
        long version;
        using (var read = Command(connection, transaction, "SELECT version FROM schema_info WHERE id = 1;"))
            version = read.ExecuteScalar() is long v ? v : 0;
        if (version > SqliteSchema.CurrentVersion)
            throw new InvalidOperationException($"The index {_databasePath} has schema version {version}, newer than this service understands ({SqliteSchema.CurrentVersion}).");
        if (version < 1)
        {
            using (var create = Command(connection, transaction, SqliteSchema.CreateVersion1())) create.ExecuteNonQuery();
            using var set = Command(connection, transaction, "INSERT OR REPLACE INTO schema_info (id, version) VALUES (1, 1);");
            set.ExecuteNonQuery();
            _logger.LogInformation("Created the index schema (version {Version}) in {Path}.", SqliteSchema.CurrentVersion, _databasePath);
        }
        // Later versions migrate here, one step at a time.
        transaction.Commit();
        _schemaReady = true;
    }

    // ------------------------------------------------------------------ two-phase store

    private static readonly Lazy<string> InsertInstanceSql = new(() =>
    {
        var columns = new List<string> { "study_uid", "series_uid", "status", "transfer_syntax_uid", "size_bytes", "frame_count", "content_hash", "created_at" };
        columns.AddRange(QueryAttributes.StoredAtLevel(ResourceLevel.Instance).SelectMany(a => SqliteSchema.Values(a, null)).Select(v => v.Column));
        return $"INSERT INTO instances ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "$" + c))}) RETURNING instance_key;";
    });

    /// <summary>The column values of one level's attributes for an instance (UIDs from its key).</summary>
    private static List<(string Column, object? Value)> LevelValues(ResourceLevel level, IndexedInstance instance)
    {
        var result = new List<(string, object?)>();
        foreach (var a in QueryAttributes.StoredAtLevel(level))
        {
            var raw = a.Tag == DicomTags.StudyInstanceUID ? instance.Key.StudyInstanceUid
                : a.Tag == DicomTags.SeriesInstanceUID ? instance.Key.SeriesInstanceUid
                : a.Tag == DicomTags.SOPInstanceUID ? instance.Key.SopInstanceUid
                : a.Tag == DicomTags.SOPClassUID ? instance.SopClassUid
                : instance.Attributes.GetValueOrDefault(a.Tag);
            result.AddRange(SqliteSchema.Values(a, raw));
        }
        return result;
    }

    private static void AddAttributeParameters(SqliteCommand command, ResourceLevel level, IndexedInstance instance)
    {
        foreach (var (column, value) in LevelValues(level, instance))
            command.Parameters.AddWithValue("$" + column, value ?? DBNull.Value);
    }

    /// <summary>
    /// Finds or adds the study (or series) row of an instance and returns its key. An existing row is updated only in the
    /// columns where the instance brings a new non-empty value, so a series of a thousand instances writes its rows once.
    /// For a series, a row that belongs to another study is a conflict.
    /// </summary>
    private static long UpsertLevel(SqliteConnection connection, SqliteTransaction transaction, ResourceLevel level, IndexedInstance instance, long? studyKey)
    {
        var (table, key, uidColumn, uid) = level == ResourceLevel.Study
            ? ("studies", "study_key", "study_uid", instance.Key.StudyInstanceUid)
            : ("series", "series_key", "series_uid", instance.Key.SeriesInstanceUid);
        var values = LevelValues(level, instance);
        var parent = studyKey is null ? "" : ", study_key";
        long existingKey;
        var changed = new List<(string Column, object? Value)>();
        using (var find = Command(connection, transaction,
            $"SELECT {key}{parent}, {string.Join(", ", values.Select(v => v.Column))} FROM {table} WHERE {uidColumn} = $uid;", ("$uid", uid)))
        using (var reader = find.ExecuteReader())
        {
            if (!reader.Read())
            {
                reader.Close();
                var columns = values.Select(v => v.Column).ToList();
                if (studyKey is not null) columns.Insert(0, "study_key");
                using var insert = Command(connection, transaction,
                    $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "$" + c))}) RETURNING {key};");
                if (studyKey is not null) insert.Parameters.AddWithValue("$study_key", studyKey.Value);
                foreach (var (column, value) in values) insert.Parameters.AddWithValue("$" + column, value ?? DBNull.Value);
                return ExecuteScalarLong(insert);
            }
            existingKey = reader.GetInt64(0);
            var first = 1;
            if (studyKey is not null)
            {
                if (reader.GetInt64(1) != studyKey.Value)
                    throw new IndexConflictException($"Series {instance.Key.SeriesInstanceUid} belongs to another study than {instance.Key.StudyInstanceUid}.");
                first = 2;
            }
            for (var i = 0; i < values.Count; i++)
            {
                var (column, value) = values[i];
                if (value is null) continue;
                var current = reader.GetValue(first + i);
                if (!Equals(current, value)) changed.Add((column, value));
            }
        }
        if (changed.Count > 0)
        {
            using var update = Command(connection, transaction,
                $"UPDATE {table} SET {string.Join(", ", changed.Select(c => $"{c.Column} = ${c.Column}"))} WHERE {key} = $key;", ("$key", existingKey));
            foreach (var (column, value) in changed) update.Parameters.AddWithValue("$" + column, value);
            update.ExecuteNonQuery();
        }
        return existingKey;
    }

    /// <inheritdoc />
    public Task<BeginCreateResult> BeginCreateAsync(IndexedInstance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return WriteAsync((connection, transaction) =>
        {
            using (var find = Command(connection, transaction,
                "SELECT instance_key, study_uid, series_uid, sop_class_uid, content_hash, status FROM instances WHERE sop_uid = $sop;",
                ("$sop", instance.Key.SopInstanceUid)))
            using (var reader = find.ExecuteReader())
            {
                if (reader.Read())
                {
                    var locator = new InstanceLocator(reader.GetString(1), reader.GetString(2), instance.Key.SopInstanceUid, reader.GetInt64(0));
                    if (reader.GetInt32(5) != SqliteSchema.StatusCreated) return new BeginCreateResult(BeginCreateOutcome.InProgress, 0);
                    return new BeginCreateResult(BeginCreateOutcome.AlreadyExists, 0,
                        new ExistingInstance(locator, reader.GetString(3), (byte[])reader.GetValue(4)));
                }
            }
            using (var series = Command(connection, transaction,
                "SELECT st.study_uid FROM series se JOIN studies st ON st.study_key = se.study_key WHERE se.series_uid = $series;",
                ("$series", instance.Key.SeriesInstanceUid)))
            {
                if (series.ExecuteScalar() is string study && study != instance.Key.StudyInstanceUid)
                    return new BeginCreateResult(BeginCreateOutcome.SeriesInOtherStudy, 0, ConflictingStudyInstanceUid: study);
            }
            using var insert = Command(connection, transaction, InsertInstanceSql.Value,
                ("$study_uid", instance.Key.StudyInstanceUid), ("$series_uid", instance.Key.SeriesInstanceUid),
                ("$status", SqliteSchema.StatusCreating), ("$transfer_syntax_uid", instance.TransferSyntaxUid),
                ("$size_bytes", instance.SizeBytes), ("$frame_count", instance.FrameCount), ("$content_hash", instance.ContentHash),
                ("$created_at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            AddAttributeParameters(insert, ResourceLevel.Instance, instance);
            return new BeginCreateResult(BeginCreateOutcome.Started, ExecuteScalarLong(insert));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task CompleteCreateAsync(long watermark, IndexedInstance instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var metadata = Compress(instance.MetadataJson);
        return WriteAsync((connection, transaction) =>
        {
            var studyKey = UpsertLevel(connection, transaction, ResourceLevel.Study, instance, null);
            UpsertLevel(connection, transaction, ResourceLevel.Series, instance, studyKey);
            using (var flip = Command(connection, transaction,
                "UPDATE instances SET status = $created WHERE instance_key = $key AND status = $creating;",
                ("$created", SqliteSchema.StatusCreated), ("$creating", SqliteSchema.StatusCreating), ("$key", watermark)))
            {
                if (flip.ExecuteNonQuery() != 1)
                    throw new IndexConflictException($"The index row of instance {instance.Key.SopInstanceUid} (watermark {watermark}) is no longer being created.");
            }
            using (var data = Command(connection, transaction,
                "INSERT OR REPLACE INTO instance_data (instance_key, metadata, frames, bulk) VALUES ($key, $metadata, $frames, $bulk);",
                ("$key", watermark), ("$metadata", metadata), ("$frames", instance.FrameIndex), ("$bulk", instance.BulkDataIndex)))
                data.ExecuteNonQuery();
            using (var feed = ChangeFeedInsert(connection, transaction))
            {
                SetChangeFeed(feed, SqliteSchema.ActionCreate, instance.Key.StudyInstanceUid, instance.Key.SeriesInstanceUid,
                    instance.Key.SopInstanceUid, instance.SopClassUid, watermark);
                feed.ExecuteNonQuery();
            }
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task AbortCreateAsync(long watermark, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var delete = Command(connection, transaction, "DELETE FROM instances WHERE instance_key = $key AND status = $creating;",
                ("$key", watermark), ("$creating", SqliteSchema.StatusCreating));
            return delete.ExecuteNonQuery();
        }, cancellationToken);

    private static SqliteCommand ChangeFeedInsert(SqliteConnection connection, SqliteTransaction transaction)
    {
        var command = Command(connection, transaction,
            "INSERT INTO changefeed (timestamp, action, study_uid, series_uid, sop_uid, sop_class_uid, watermark) VALUES ($ts, $action, $study, $series, $sop, $class, $watermark);");
        foreach (var name in new[] { "$ts", "$action", "$study", "$series", "$sop", "$class", "$watermark" })
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    private static void SetChangeFeed(SqliteCommand command, int action, string study, string series, string sop, string sopClass, long watermark)
    {
        command.Parameters["$ts"].Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        command.Parameters["$action"].Value = action;
        command.Parameters["$study"].Value = study;
        command.Parameters["$series"].Value = series;
        command.Parameters["$sop"].Value = sop;
        command.Parameters["$class"].Value = sopClass;
        command.Parameters["$watermark"].Value = watermark;
    }

    // ------------------------------------------------------------------ retrieval

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredInstance>> FindInstancesAsync(string studyInstanceUid, string? seriesInstanceUid, string? sopInstanceUid, CancellationToken cancellationToken)
    {
        using var connection = Open();
        var sql = """
            SELECT i.instance_key, i.study_uid, i.series_uid, i.sop_uid, i.sop_class_uid, i.transfer_syntax_uid, i.size_bytes, i.frame_count
            FROM instances i LEFT JOIN series se ON se.series_uid = i.series_uid
            WHERE i.status = 1 AND i.study_uid = $study
            """;
        if (seriesInstanceUid is not null) sql += " AND i.series_uid = $series";
        if (sopInstanceUid is not null) sql += " AND i.sop_uid = $sop";
        sql += " ORDER BY se.series_number IS NULL, se.series_number, i.series_uid, i.instance_number IS NULL, i.instance_number, i.sop_uid;";
        using var command = Command(connection, null, sql, ("$study", studyInstanceUid), ("$series", seriesInstanceUid), ("$sop", sopInstanceUid));
        using var reader = command.ExecuteReader();
        var result = new List<StoredInstance>();
        while (reader.Read())
        {
            result.Add(new StoredInstance(new InstanceKey(reader.GetString(1), reader.GetString(2), reader.GetString(3)), reader.GetString(4),
                reader.GetString(5), reader.GetInt64(6), reader.GetInt32(7), reader.GetInt64(0)));
        }
        return Task.FromResult<IReadOnlyList<StoredInstance>>(result);
    }

    /// <inheritdoc />
    public Task<InstanceDataRecord?> GetInstanceDataAsync(long watermark, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = Command(connection, null, "SELECT metadata, frames, bulk FROM instance_data WHERE instance_key = $key;", ("$key", watermark));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return Task.FromResult<InstanceDataRecord?>(null);
        return Task.FromResult<InstanceDataRecord?>(new InstanceDataRecord(Decompress((byte[])reader.GetValue(0)), (byte[])reader.GetValue(1), (byte[])reader.GetValue(2)));
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<long, byte[]>> GetMetadataAsync(IReadOnlyCollection<long> watermarks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watermarks);
        var result = new Dictionary<long, byte[]>();
        if (watermarks.Count == 0) return Task.FromResult<IReadOnlyDictionary<long, byte[]>>(result);
        using var connection = Open();
        foreach (var chunk in watermarks.Distinct().Chunk(500))
        {
            using var command = Command(connection, null,
                $"SELECT instance_key, metadata FROM instance_data WHERE instance_key IN ({string.Join(", ", chunk.Select((_, i) => "$k" + i))});");
            for (var i = 0; i < chunk.Length; i++) command.Parameters.AddWithValue("$k" + i, chunk[i]);
            using var reader = command.ExecuteReader();
            while (reader.Read()) result[reader.GetInt64(0)] = Decompress((byte[])reader.GetValue(1));
        }
        return Task.FromResult<IReadOnlyDictionary<long, byte[]>>(result);
    }

    // ------------------------------------------------------------------ delete

    private sealed record RowToDelete(long Key, string Study, string Series, string Sop, string SopClass);

    /// <inheritdoc />
    public Task<IReadOnlyList<InstanceLocator>> DeleteAsync(string studyInstanceUid, string? seriesInstanceUid, string? sopInstanceUid, CancellationToken cancellationToken)
    {
        var sql = "SELECT instance_key, study_uid, series_uid, sop_uid, sop_class_uid FROM instances WHERE status = 1 AND study_uid = $study";
        if (seriesInstanceUid is not null) sql += " AND series_uid = $series";
        if (sopInstanceUid is not null) sql += " AND sop_uid = $sop";
        return WriteAsync<IReadOnlyList<InstanceLocator>>((connection, transaction) =>
        {
            using var select = Command(connection, transaction, sql + ";", ("$study", studyInstanceUid), ("$series", seriesInstanceUid), ("$sop", sopInstanceUid));
            return DeleteRows(connection, transaction, ReadRows(select));
        }, cancellationToken);
    }

    private static List<RowToDelete> ReadRows(SqliteCommand select)
    {
        var rows = new List<RowToDelete>();
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new RowToDelete(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }
        return rows;
    }

    private static List<InstanceLocator> DeleteRows(SqliteConnection connection, SqliteTransaction transaction, List<RowToDelete> rows)
    {
        using var deleteInstance = Command(connection, transaction, "DELETE FROM instances WHERE instance_key = $key;");
        var keyParameter = deleteInstance.Parameters.Add(new SqliteParameter { ParameterName = "$key" });
        using var deleteData = Command(connection, transaction, "DELETE FROM instance_data WHERE instance_key = $key;");
        var dataKeyParameter = deleteData.Parameters.Add(new SqliteParameter { ParameterName = "$key" });
        using var feed = ChangeFeedInsert(connection, transaction);
        foreach (var row in rows)
        {
            keyParameter.Value = row.Key;
            deleteInstance.ExecuteNonQuery();
            dataKeyParameter.Value = row.Key;
            deleteData.ExecuteNonQuery();
            SetChangeFeed(feed, SqliteSchema.ActionDelete, row.Study, row.Series, row.Sop, row.SopClass, row.Key);
            feed.ExecuteNonQuery();
        }
        // Series and studies without created instances leave the index (a store still in progress adds them back when it completes).
        using (var deleteSeries = Command(connection, transaction,
            "DELETE FROM series WHERE series_uid = $uid AND NOT EXISTS (SELECT 1 FROM instances x WHERE x.series_uid = $uid AND x.status = 1);"))
        {
            var p = deleteSeries.Parameters.Add(new SqliteParameter { ParameterName = "$uid" });
            foreach (var uid in rows.Select(r => r.Series).Distinct(StringComparer.Ordinal))
            {
                p.Value = uid;
                deleteSeries.ExecuteNonQuery();
            }
        }
        using (var deleteStudy = Command(connection, transaction,
            "DELETE FROM studies WHERE study_uid = $uid AND NOT EXISTS (SELECT 1 FROM instances x WHERE x.study_uid = $uid AND x.status = 1);"))
        {
            var p = deleteStudy.Parameters.Add(new SqliteParameter { ParameterName = "$uid" });
            foreach (var uid in rows.Select(r => r.Study).Distinct(StringComparer.Ordinal))
            {
                p.Value = uid;
                deleteStudy.ExecuteNonQuery();
            }
        }
        return rows.Select(r => new InstanceLocator(r.Study, r.Series, r.Sop, r.Key)).ToList();
    }

    // ------------------------------------------------------------------ change feed

    /// <inheritdoc />
    public Task<IReadOnlyList<ChangeFeedEntry>> ReadChangeFeedAsync(long offset, int limit, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = Command(connection, null,
            "SELECT sequence, timestamp, action, study_uid, series_uid, sop_uid, sop_class_uid FROM changefeed WHERE sequence > $offset ORDER BY sequence LIMIT $limit;",
            ("$offset", offset), ("$limit", limit));
        using var reader = command.ExecuteReader();
        var result = new List<ChangeFeedEntry>();
        while (reader.Read())
        {
            result.Add(new ChangeFeedEntry(reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                reader.GetInt32(2) == SqliteSchema.ActionDelete ? ChangeFeedAction.Delete : ChangeFeedAction.Create,
                new InstanceKey(reader.GetString(3), reader.GetString(4), reader.GetString(5)), reader.GetString(6)));
        }
        return Task.FromResult<IReadOnlyList<ChangeFeedEntry>>(result);
    }

    /// <inheritdoc />
    public Task<long> GetLatestSequenceAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = Command(connection, null, "SELECT COALESCE(MAX(sequence), 0) FROM changefeed;");
        return Task.FromResult(ExecuteScalarLong(command));
    }

    // ------------------------------------------------------------------ recovery

    /// <inheritdoc />
    public Task<IReadOnlyList<InstanceLocator>> RemoveIncompleteAsync(CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<InstanceLocator>>((connection, transaction) =>
        {
            var result = new List<InstanceLocator>();
            using (var select = Command(connection, transaction,
                "SELECT instance_key, study_uid, series_uid, sop_uid FROM instances WHERE status = $creating;", ("$creating", SqliteSchema.StatusCreating)))
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read()) result.Add(new InstanceLocator(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(0)));
            }
            using (var delete = Command(connection, transaction, "DELETE FROM instances WHERE status = $creating;", ("$creating", SqliteSchema.StatusCreating)))
                delete.ExecuteNonQuery();
            using (var orphanData = Command(connection, transaction,
                "DELETE FROM instance_data WHERE instance_key NOT IN (SELECT instance_key FROM instances);"))
                orphanData.ExecuteNonQuery();
            return result;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlySet<long>> GetCreatedWatermarksAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = Command(connection, null, "SELECT instance_key FROM instances WHERE status = $created;", ("$created", SqliteSchema.StatusCreated));
        using var reader = command.ExecuteReader();
        var result = new HashSet<long>();
        while (reader.Read()) result.Add(reader.GetInt64(0));
        return Task.FromResult<IReadOnlySet<long>>(result);
    }

    /// <inheritdoc />
    public Task<int> RemoveCreatedAsync(IReadOnlyCollection<long> watermarks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watermarks);
        if (watermarks.Count == 0) return Task.FromResult(0);
        return WriteAsync((connection, transaction) =>
        {
            var rows = new List<RowToDelete>();
            using var select = Command(connection, transaction,
                "SELECT instance_key, study_uid, series_uid, sop_uid, sop_class_uid FROM instances WHERE instance_key = $key AND status = 1;");
            var p = select.Parameters.Add(new SqliteParameter { ParameterName = "$key" });
            foreach (var watermark in watermarks)
            {
                p.Value = watermark;
                rows.AddRange(ReadRows(select));
            }
            return DeleteRows(connection, transaction, rows).Count;
        }, cancellationToken);
    }
}
