using System.Text;
using FedNano.DicomService.Core.Query;

namespace FedNano.DicomService.Core.Storage.Sqlite;

/// <summary>The SQLite schema and how each queryable attribute maps to columns.</summary>
internal static class SqliteSchema
{
    /// <summary>The schema version this code writes.</summary>
    public const int CurrentVersion = 1;

    public const int StatusCreating = 0;
    public const int StatusCreated = 1;

    public const int ActionCreate = 0;
    public const int ActionDelete = 1;

    /// <summary>Table alias used in queries for each level.</summary>
    public static string Alias(ResourceLevel level) => level switch
    {
        ResourceLevel.Study => "st",
        ResourceLevel.Series => "se",
        _ => "i",
    };

    /// <summary>Column definitions of one attribute.</summary>
    public static IEnumerable<string> Definitions(QueryAttribute a)
    {
        var c = a.Column!;
        switch (a.Kind)
        {
            case QueryValueKind.Integer:
                yield return c + " INTEGER";
                break;
            case QueryValueKind.PersonName:
                yield return c + " TEXT";
                yield return c + "_upper TEXT";
                yield return c + "_words TEXT";
                break;
            case QueryValueKind.Date or QueryValueKind.Time or QueryValueKind.DateTime:
                yield return c + " TEXT";
                yield return c + "_key TEXT";
                break;
            default:
                yield return c + " TEXT";
                break;
        }
    }

    /// <summary>The column compared by matching.</summary>
    public static string MatchColumn(QueryAttribute a) => a.Kind switch
    {
        QueryValueKind.PersonName => a.Column + "_upper",
        QueryValueKind.Date or QueryValueKind.Time or QueryValueKind.DateTime => a.Column + "_key",
        _ => a.Column!,
    };

    /// <summary>Column values for one attribute's raw text.</summary>
    public static IEnumerable<(string Column, object? Value)> Values(QueryAttribute a, string? raw)
    {
        var c = a.Column!;
        raw = string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
        switch (a.Kind)
        {
            case QueryValueKind.Integer:
                yield return (c, QueryValues.ParseInteger(raw));
                break;
            case QueryValueKind.PersonName:
                yield return (c, raw);
                yield return (c + "_upper", QueryValues.NormalizePersonName(raw));
                yield return (c + "_words", QueryValues.PersonNameWords(raw));
                break;
            case QueryValueKind.Date:
                yield return (c, raw);
                yield return (c + "_key", QueryValues.NormalizeDate(raw));
                break;
            case QueryValueKind.Time:
                yield return (c, raw);
                yield return (c + "_key", QueryValues.NormalizeTime(raw));
                break;
            case QueryValueKind.DateTime:
                yield return (c, raw);
                yield return (c + "_key", QueryValues.NormalizeDateTime(raw));
                break;
            default:
                yield return (c, raw);
                break;
        }
    }

    private static string Columns(ResourceLevel level) =>
        string.Concat(QueryAttributes.StoredAtLevel(level).SelectMany(Definitions).Select(d => ",\n  " + d));

    /// <summary>
    /// Match columns with an index: the attributes queries usually select by. The others are few enough per level that a
    /// scan is fast, and every index costs a page write per stored instance.
    /// </summary>
    private static readonly HashSet<string> IndexedColumns =
    [
        "study_date_key", "accession_number", "patient_name_upper", "patient_id",
        "modality",
        "sop_class_uid",
    ];

    private static string Indexes(string table, ResourceLevel level)
    {
        var sb = new StringBuilder();
        foreach (var a in QueryAttributes.StoredAtLevel(level))
        {
            var column = MatchColumn(a);
            if (!IndexedColumns.Contains(column)) continue;
            sb.Append("CREATE INDEX ix_").Append(table).Append('_').Append(column).Append(" ON ").Append(table)
              .Append('(').Append(column).Append(");\n");
        }
        return sb.ToString();
    }

    /// <summary>DDL of version 1.</summary>
    public static string CreateVersion1() => $"""
        CREATE TABLE studies (
          study_key INTEGER PRIMARY KEY{Columns(ResourceLevel.Study)}
        );
        CREATE UNIQUE INDEX ux_studies_uid ON studies(study_uid);
        {Indexes("studies", ResourceLevel.Study)}
        CREATE TABLE series (
          series_key INTEGER PRIMARY KEY,
          study_key INTEGER NOT NULL{Columns(ResourceLevel.Series)}
        );
        CREATE UNIQUE INDEX ux_series_uid ON series(series_uid);
        CREATE INDEX ix_series_study ON series(study_key);
        {Indexes("series", ResourceLevel.Series)}
        CREATE TABLE instances (
          instance_key INTEGER PRIMARY KEY AUTOINCREMENT,
          study_uid TEXT NOT NULL,
          series_uid TEXT NOT NULL,
          status INTEGER NOT NULL,
          transfer_syntax_uid TEXT NOT NULL,
          size_bytes INTEGER NOT NULL,
          frame_count INTEGER NOT NULL,
          content_hash BLOB NOT NULL,
          created_at INTEGER NOT NULL{Columns(ResourceLevel.Instance)}
        );
        CREATE UNIQUE INDEX ux_instances_sop ON instances(sop_uid);
        CREATE INDEX ix_instances_study ON instances(study_uid, status);
        CREATE INDEX ix_instances_series ON instances(series_uid, status);
        {Indexes("instances", ResourceLevel.Instance)}
        CREATE TABLE instance_data (
          instance_key INTEGER PRIMARY KEY,
          metadata BLOB NOT NULL,
          frames BLOB NOT NULL,
          bulk BLOB NOT NULL
        );
        CREATE TABLE changefeed (
          sequence INTEGER PRIMARY KEY AUTOINCREMENT,
          timestamp INTEGER NOT NULL,
          action INTEGER NOT NULL,
          study_uid TEXT NOT NULL,
          series_uid TEXT NOT NULL,
          sop_uid TEXT NOT NULL,
          sop_class_uid TEXT NOT NULL,
          watermark INTEGER NOT NULL
        );
        """;
}
