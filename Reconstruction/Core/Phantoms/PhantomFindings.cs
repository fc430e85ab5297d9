using System.Text.Json;
using System.Text.Json.Serialization;

namespace FedNano.Reconstruction.Phantoms;

/// <summary>
/// Ground truth of a generated phantom: what it contains, exactly as rendered, for writing radiology-style
/// reports and for evaluation. Lists are empty (never null) when the phantom has no such finding; the
/// landmark records are present only for the phantom kind they describe.
/// </summary>
/// <remarks>
/// Equality is by value, including the lists. JSON uses camelCase names and kebab-case enum strings
/// (e.g. <c>"type": "part-solid"</c>); see <see cref="ToJson"/> and <see cref="FromJson"/>.
/// </remarks>
/// <param name="Phantom">Generator name (see <see cref="PhantomCatalog.Names"/>).</param>
/// <param name="Seed">Seed it was generated with.</param>
public sealed record PhantomFindings(string Phantom, int Seed)
{
    private static readonly JsonSerializerOptions JsonOptions = CreateJsonOptions();

    /// <summary>Chest anatomy landmarks; null for other phantoms.</summary>
    public ChestLandmarks? Chest { get; init; }

    /// <summary>Head anatomy landmarks; null for other phantoms.</summary>
    public HeadLandmarks? Head { get; init; }

    /// <summary>Scaling of a Shepp–Logan phantom; null for other phantoms.</summary>
    public SheppLoganLayout? SheppLogan { get; init; }

    /// <summary>Pulmonary nodules.</summary>
    public IReadOnlyList<NoduleFinding> Nodules { get; init; } = [];

    /// <summary>Emphysema-like low-attenuation regions.</summary>
    public IReadOnlyList<EmphysemaFinding> Emphysema { get; init; } = [];

    /// <summary>Pleural effusions (at most one per side).</summary>
    public IReadOnlyList<PleuralEffusionFinding> PleuralEffusions { get; init; } = [];

    /// <summary>Focal brain lesions.</summary>
    public IReadOnlyList<BrainLesionFinding> BrainLesions { get; init; } = [];

    /// <summary>Dental fillings.</summary>
    public IReadOnlyList<DentalFillingFinding> DentalFillings { get; init; } = [];

    /// <summary>The ellipsoids of an analytic phantom (Shepp–Logan), in mm.</summary>
    public IReadOnlyList<EllipsoidFinding> Ellipsoids { get; init; } = [];

    /// <summary>True when the phantom holds no pathological finding (nodule, emphysema, effusion, lesion, filling).</summary>
    [JsonIgnore]
    public bool IsNormal => Nodules.Count == 0 && Emphysema.Count == 0 && PleuralEffusions.Count == 0
        && BrainLesions.Count == 0 && DentalFillings.Count == 0;

    /// <summary>Serialises to indented JSON (camelCase names, enums as kebab-case strings).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses JSON written by <see cref="ToJson"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="FormatException">
    /// The text is not valid JSON, is JSON null, lacks a required value, has a null where a value is required,
    /// an unknown property or enum name, or a value of the wrong type; the message names the JSON path.
    /// </exception>
    public static PhantomFindings FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        PhantomFindings? findings;
        try
        {
            findings = JsonSerializer.Deserialize<PhantomFindings>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            string where = e.Path is null ? "" : $" at {e.Path}";
            string line = e.LineNumber is long l ? $" (line {l + 1})" : "";
            throw new FormatException($"Phantom findings JSON is invalid{where}{line}: {e.Message}", e);
        }
        if (findings is null)
        {
            throw new FormatException("Phantom findings JSON is 'null'; expected an object with at least 'phantom' and 'seed'.");
        }
        if (string.IsNullOrWhiteSpace(findings.Phantom))
        {
            throw new FormatException("Phantom findings JSON has an empty 'phantom' name.");
        }
        return findings;
    }

    /// <summary>Value equality, comparing the lists element by element.</summary>
    public bool Equals(PhantomFindings? other) =>
        other is not null
        && Phantom == other.Phantom
        && Seed == other.Seed
        && Equals(Chest, other.Chest)
        && Equals(Head, other.Head)
        && Equals(SheppLogan, other.SheppLogan)
        && Nodules.SequenceEqual(other.Nodules)
        && Emphysema.SequenceEqual(other.Emphysema)
        && PleuralEffusions.SequenceEqual(other.PleuralEffusions)
        && BrainLesions.SequenceEqual(other.BrainLesions)
        && DentalFillings.SequenceEqual(other.DentalFillings)
        && Ellipsoids.SequenceEqual(other.Ellipsoids);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(
        Phantom, Seed, Nodules.Count, Emphysema.Count, PleuralEffusions.Count, BrainLesions.Count, DentalFillings.Count, Ellipsoids.Count);

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // Bad input fails loudly instead of yielding half-filled ground truth.
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
