using FedNano.FederatedMLLM.Federation;
using Microsoft.Extensions.Options;

namespace FedNano.DicomService.Federation;

/// <summary>
/// The host's single <see cref="RoundsCoordinator"/>, built on first use from <see cref="FederationOptions"/>: the
/// configured aggregator, adapters sized to the base model, state and audit files under the data directory.
/// </summary>
public sealed class FederationCoordinator(FederationModel model, IOptions<FederationOptions> options, FederationPaths paths, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private RoundsCoordinator? _coordinator;
    private AuditLog? _audit;

    /// <summary>The aggregator <paramref name="name"/> names.</summary>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public static IAggregator Aggregator(string name, FederationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return name switch
        {
            "fisher" => new FisherMerge(options.FisherEpsilon),
            "fedavg" => new FedAvg(),
            "fedprox" => new FedProx(options.FedProxMu),
            _ => throw new ArgumentException($"Federation:Aggregator '{name}' is not fisher, fedavg or fedprox."),
        };
    }

    /// <summary>The audit log file.</summary>
    public string AuditPath => paths.Resolve(options.Value.AuditFile);

    /// <summary>The one audit log every federation event goes to (rounds and refused sites alike).</summary>
    public AuditLog Audit
    {
        get { lock (_gate) return _audit ??= new AuditLog(AuditPath, clock); }
    }

    /// <summary>The coordinator if it has been built (the ticker does not load the model just to tick).</summary>
    public RoundsCoordinator? Existing { get { lock (_gate) return _coordinator; } }

    /// <summary>The coordinator.</summary>
    public RoundsCoordinator Get()
    {
        lock (_gate)
        {
            if (_coordinator is not null) return _coordinator;
            var o = options.Value;
            var (m, _, _) = model.Get();
            var initial = NanoAdapterLayout.Initial(m.Config.TextConfig.HiddenSize, o.Adapters, o.AdapterSeed);
            _coordinator = new RoundsCoordinator(initial, Aggregator(o.Aggregator, o), new UpdateValidator(o.Validation), o.Rounds,
                paths.Resolve(o.SnapshotFile), _audit ??= new AuditLog(AuditPath, clock), clock);
            return _coordinator;
        }
    }
}

/// <summary>Resolves federation files relative to the storage data directory.</summary>
/// <param name="DataDirectory">Storage:DataDirectory.</param>
public sealed record FederationPaths(string DataDirectory)
{
    /// <summary><paramref name="file"/> if rooted, else under <see cref="DataDirectory"/>.</summary>
    public string Resolve(string file) => Path.IsPathRooted(file) ? file : Path.Combine(DataDirectory, file);
}
