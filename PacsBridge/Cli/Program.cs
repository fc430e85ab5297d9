// pacsbridge: the executable face of FedNano.PacsBridge. Configuration and logging only; the work is in the library.
using System.Globalization;
using FedNano.PacsBridge;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

const string Usage = """
    Usage: pacsbridge <command> [--config FILE] [--Section:Key=value ...]
      run           watch the source PACS and round-trip raw scans until Ctrl+C
      once          one pass (discovery, then every due series), then exit; exit code 0
      status        recent series and their states   [--limit N] [--state STATE]
      requeue UID   put a dead-lettered series back in the queue
    Settings: pacsbridge.json beside the program (or --config FILE), then PACSBRIDGE_* environment variables, then
    --Bridge:...=value arguments. --Logging:Format=json writes structured JSON logs.
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}
string command = args[0];
var rest = args.Skip(1).ToList();
string? Take(string name)
{
    int i = rest.IndexOf(name);
    if (i < 0 || i + 1 >= rest.Count) return null;
    var value = rest[i + 1];
    rest.RemoveRange(i, 2);
    return value;
}
string configFile = Take("--config") ?? Path.Combine(AppContext.BaseDirectory, "pacsbridge.json");
int limit = int.Parse(Take("--limit") ?? "30", CultureInfo.InvariantCulture);
string? stateFilter = Take("--state");
string? requeueUid = command == "requeue" && rest.Count > 0 && !rest[0].StartsWith("--", StringComparison.Ordinal) ? rest[0] : null;
if (requeueUid is not null) rest.RemoveAt(0);

if (!File.Exists(configFile))
{
    Console.Error.WriteLine($"pacsbridge: configuration file {configFile} does not exist.");
    return 2;
}
IConfiguration configuration;
try
{
    configuration = new ConfigurationBuilder()
        .AddJsonFile(Path.GetFullPath(configFile), optional: false)
        .AddEnvironmentVariables("PACSBRIDGE_")
        .AddCommandLine(rest.ToArray())
        .Build();
}
catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
{
    Console.Error.WriteLine($"pacsbridge: cannot read the configuration: {e.Message}");
    return 2;
}
var options = new BridgeOptions();
try
{
    configuration.GetSection(BridgeOptions.SectionName).Bind(options);
    options.Validate();
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException)
{
    Console.Error.WriteLine($"pacsbridge: invalid configuration: {e.Message}");
    return 2;
}

using var loggers = LoggerFactory.Create(logging =>
{
    logging.AddConfiguration(configuration.GetSection("Logging"));
    if (string.Equals(configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase)) logging.AddJsonConsole();
    else logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
});

switch (command)
{
    case "status":
    {
        var state = new BridgeStateStore(options.StateDatabase);
        BridgeSeriesState? filter = null;
        if (stateFilter is not null)
        {
            if (!Enum.TryParse<BridgeSeriesState>(stateFilter, ignoreCase: true, out var s))
            {
                Console.Error.WriteLine($"pacsbridge: unknown state '{stateFilter}'; use {string.Join(", ", Enum.GetNames<BridgeSeriesState>())}.");
                return 2;
            }
            filter = s;
        }
        var rows = state.Recent(limit, filter);
        Console.WriteLine($"{"updated (UTC)",-20} {"state",-14} {"attempts",8}  {"series",-44} {"job",-32}  last error");
        foreach (var r in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.UpdatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {r.State,-14} {r.Attempts,8}  {r.SeriesInstanceUid,-44} {r.JobId ?? "-",-32}  {r.LastError}"));
        Console.WriteLine($"{rows.Count} series");
        return 0;
    }
    case "requeue":
    {
        if (requeueUid is null)
        {
            Console.Error.WriteLine("pacsbridge: requeue needs a Series Instance UID.");
            return 2;
        }
        bool ok = new BridgeStateStore(options.StateDatabase).Requeue(requeueUid);
        Console.WriteLine(ok ? $"requeued {requeueUid}" : $"{requeueUid} is not dead-lettered");
        return ok ? 0 : 1;
    }
    case "once":
    case "run":
    {
        using var bridge = new Bridge(options, loggers.CreateLogger<Bridge>());
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
        EventHandler onExit = (_, _) => stop.Cancel(); // SIGTERM (systemd stop): stop between steps; the state on disk says where to resume
        Console.CancelKeyPress += onCancel;
        AppDomain.CurrentDomain.ProcessExit += onExit;
        try
        {
            if (command == "once")
            {
                var done = await bridge.RunOnceAsync(stop.Token);
                loggers.CreateLogger("pacsbridge").LogInformation("Pass complete: {Done} series done", done.Count);
            }
            else
            {
                await bridge.RunAsync(stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            AppDomain.CurrentDomain.ProcessExit -= onExit;
        }
        return 0;
    }
    default:
        Console.Error.WriteLine($"pacsbridge: unknown command '{command}'.\n{Usage}");
        return 2;
}
