using System.Globalization;
using System.Text;
using FedNano.Dicom;
using FedNano.DicomService.Core.Query;
using Microsoft.Data.Sqlite;

namespace FedNano.DicomService.Core.Storage.Sqlite;

public sealed partial class SqliteIndexStore
{
    /// <inheritdoc />
    public Task<QueryPage> QueryAsync(QueryPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var builder = new QueryBuilder(plan);
        var sql = builder.Build();
        using var connection = Open();
        using var command = Command(connection, null, sql, [.. builder.Parameters]);
        using var reader = command.ExecuteReader();
        var rows = new List<QueryRow>();
        var hasMore = false;
        while (reader.Read())
        {
            if (rows.Count == plan.Limit)
            {
                hasMore = true;
                break;
            }
            rows.Add(builder.ReadRow(reader));
        }
        return Task.FromResult(new QueryPage(rows, hasMore));
    }

    /// <summary>Turns a <see cref="QueryPlan"/> into one SELECT over the level's table and the tables above it.</summary>
    private sealed class QueryBuilder(QueryPlan plan)
    {
        private enum ColumnKind { Text, Integer, Modalities }

        private readonly List<(DicomTag Tag, ColumnKind Kind)> _columns = [];

        public List<(string Name, object? Value)> Parameters { get; } = [];

        private string P(object? value)
        {
            var name = "$p" + Parameters.Count.ToString(CultureInfo.InvariantCulture);
            Parameters.Add((name, value));
            return name;
        }

        public string Build()
        {
            var level = plan.Level;
            var levels = level switch
            {
                ResourceLevel.Study => new[] { ResourceLevel.Study },
                ResourceLevel.Series => [ResourceLevel.Series, ResourceLevel.Study],
                _ => [ResourceLevel.Instance, ResourceLevel.Series, ResourceLevel.Study],
            };
            var select = new List<string>
            {
                level switch
                {
                    ResourceLevel.Study => plan.IncludeFirstInstance
                        ? "(SELECT MIN(x.instance_key) FROM instances x WHERE x.study_uid = st.study_uid AND x.status = 1)" : "NULL",
                    ResourceLevel.Series => plan.IncludeFirstInstance
                        ? "(SELECT MIN(x.instance_key) FROM instances x WHERE x.series_uid = se.series_uid AND x.status = 1)" : "NULL",
                    _ => "i.instance_key",
                },
            };
            foreach (var l in levels)
            {
                foreach (var a in QueryAttributes.StoredAtLevel(l))
                {
                    select.Add(SqliteSchema.Alias(l) + "." + a.Column);
                    _columns.Add((a.Tag, a.Kind == QueryValueKind.Integer ? ColumnKind.Integer : ColumnKind.Text));
                }
            }
            foreach (var tag in plan.ComputedAttributes.Distinct())
            {
                string? expression = null;
                var kind = ColumnKind.Integer;
                if (tag == DicomTags.NumberOfStudyRelatedSeries)
                    expression = "(SELECT COUNT(*) FROM series x WHERE x.study_key = st.study_key)";
                else if (tag == DicomTags.NumberOfStudyRelatedInstances)
                    expression = "(SELECT COUNT(*) FROM instances x WHERE x.study_uid = st.study_uid AND x.status = 1)";
                else if (tag == DicomTags.ModalitiesInStudy)
                {
                    expression = "(SELECT group_concat(DISTINCT x.modality) FROM series x WHERE x.study_key = st.study_key)";
                    kind = ColumnKind.Modalities;
                }
                else if (tag == DicomTags.NumberOfSeriesRelatedInstances && level != ResourceLevel.Study)
                    expression = "(SELECT COUNT(*) FROM instances x WHERE x.series_uid = se.series_uid AND x.status = 1)";
                if (expression is null) continue;
                select.Add(expression);
                _columns.Add((tag, kind));
            }

            var sql = new StringBuilder("SELECT ").AppendJoin(", ", select).Append(" FROM ");
            sql.Append(level switch
            {
                ResourceLevel.Study => "studies st",
                ResourceLevel.Series => "series se JOIN studies st ON st.study_key = se.study_key",
                _ => "instances i JOIN series se ON se.series_uid = i.series_uid JOIN studies st ON st.study_key = se.study_key",
            });
            var conditions = new List<string>();
            if (level == ResourceLevel.Instance) conditions.Add("i.status = 1");
            conditions.AddRange(plan.Filters.Select(Condition));
            if (conditions.Count > 0) sql.Append(" WHERE ").AppendJoin(" AND ", conditions);
            sql.Append(" ORDER BY ").Append(level switch
            {
                ResourceLevel.Study => "st.study_key",
                ResourceLevel.Series => "se.series_key",
                _ => "i.instance_key",
            });
            sql.Append(" LIMIT ").Append(P((long)plan.Limit + 1)).Append(" OFFSET ").Append(P((long)plan.Offset)).Append(';');
            return sql.ToString();
        }

        public QueryRow ReadRow(SqliteDataReader reader)
        {
            long? watermark = reader.IsDBNull(0) ? null : reader.GetInt64(0);
            var values = new Dictionary<DicomTag, string?>(_columns.Count);
            for (var i = 0; i < _columns.Count; i++)
            {
                var (tag, kind) = _columns[i];
                var ordinal = i + 1;
                if (reader.IsDBNull(ordinal))
                {
                    values[tag] = null;
                    continue;
                }
                values[tag] = kind switch
                {
                    ColumnKind.Integer => reader.GetInt64(ordinal).ToString(CultureInfo.InvariantCulture),
                    ColumnKind.Modalities => string.Join('\\', reader.GetString(ordinal)
                        .Split([',', '\\'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
                    _ => reader.GetString(ordinal),
                };
            }
            return new QueryRow(watermark, values);
        }

        private string Condition(QueryFilter filter)
        {
            var a = filter.Attribute;
            if (a.Tag == DicomTags.ModalitiesInStudy)
                return $"EXISTS (SELECT 1 FROM series x WHERE x.study_key = st.study_key AND {ValueCondition(filter, "x.modality")})";
            return ValueCondition(filter, SqliteSchema.Alias(a.Level) + "." + SqliteSchema.MatchColumn(a));
        }

        private string ValueCondition(QueryFilter filter, string column)
        {
            var a = filter.Attribute;
            var integer = a.Kind == QueryValueKind.Integer;
            object Value(string v) => integer ? long.Parse(v, CultureInfo.InvariantCulture) : v;
            switch (filter.Kind)
            {
                case QueryMatchKind.Single when a.Kind is QueryValueKind.Time or QueryValueKind.DateTime:
                case QueryMatchKind.Range:
                    {
                        var parts = new List<string>();
                        if (filter.Low is not null) parts.Add($"{column} >= {P(filter.Low)}");
                        if (filter.High is not null) parts.Add($"{column} <= {P(filter.High)}");
                        return parts.Count == 0 ? $"{column} IS NOT NULL" : "(" + string.Join(" AND ", parts) + ")";
                    }
                case QueryMatchKind.Single when a.Kind == QueryValueKind.PersonName:
                    // The alphabetic group alone matches a name that also has ideographic or phonetic groups.
                    return $"({column} = {P(filter.Values[0])} OR {column} GLOB {P(EscapeGlob(filter.Values[0]) + "=*")})";
                case QueryMatchKind.Single:
                    return $"{column} = {P(Value(filter.Values[0]))}";
                case QueryMatchKind.List:
                    return $"{column} IN ({string.Join(", ", filter.Values.Select(v => P(Value(v))))})";
                case QueryMatchKind.Wildcard:
                    return $"{column} GLOB {P(ToGlob(filter.Values[0]))}";
                case QueryMatchKind.Fuzzy:
                    {
                        var words = SqliteSchema.Alias(a.Level) + "." + a.Column + "_words";
                        return "(" + string.Join(" AND ", filter.Values.Select(t => $"{words} GLOB {P("* " + EscapeGlob(t) + "*")}")) + ")";
                    }
                default:
                    throw new InvalidOperationException($"Unknown match kind {filter.Kind}.");
            }
        }

        /// <summary>A DICOM wildcard pattern (<c>*</c>, <c>?</c>) as a GLOB pattern, other GLOB metacharacters made literal.</summary>
        private static string ToGlob(string pattern)
        {
            var sb = new StringBuilder(pattern.Length + 8);
            foreach (var c in pattern)
            {
                switch (c)
                {
                    case '[': sb.Append("[[]"); break;
                    case ']': sb.Append("[]]"); break;
                    default: sb.Append(c); break;
                }
            }
            return sb.ToString();
        }

        /// <summary>Literal text inside a GLOB pattern.</summary>
        private static string EscapeGlob(string text)
        {
            var sb = new StringBuilder(text.Length + 8);
            foreach (var c in text)
            {
                switch (c)
                {
                    case '*': sb.Append("[*]"); break;
                    case '?': sb.Append("[?]"); break;
                    case '[': sb.Append("[[]"); break;
                    case ']': sb.Append("[]]"); break;
                    default: sb.Append(c); break;
                }
            }
            return sb.ToString();
        }
    }
}
