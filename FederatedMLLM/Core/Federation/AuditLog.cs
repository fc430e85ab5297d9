using System.Text.Json;

namespace FedNano.FederatedMLLM.Federation;

/// <summary>Append-only JSON-lines record of every federation event (check-ins, tasks, updates and verdicts, round closes).</summary>
public sealed class AuditLog(string path, TimeProvider? clock = null)
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>The file.</summary>
    public string Path { get; } = path ?? throw new ArgumentNullException(nameof(path));

    /// <summary>Appends one event.</summary>
    public void Write(string @event, string? site = null, int? round = null, string? detail = null)
    {
        var line = JsonSerializer.Serialize(new { time = _clock.GetUtcNow(), @event, site, round, detail });
        lock (_gate)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            File.AppendAllText(Path, line + "\n");
        }
    }

    /// <summary>All events so far, oldest first, as JSON documents.</summary>
    public IReadOnlyList<JsonElement> Read()
    {
        lock (_gate)
        {
            if (!File.Exists(Path)) return [];
            return File.ReadAllLines(Path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        }
    }
}
