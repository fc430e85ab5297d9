namespace FedNano.Reconstruction.Phantoms;

/// <summary>The named phantom generators, with their default options.</summary>
public static class PhantomCatalog
{
    /// <summary>The names <see cref="Get"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["chest", "head", "shepp-logan"];

    /// <summary>Returns the named generator (case-insensitive, surrounding blanks ignored) with default options.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known names.</exception>
    public static IPhantomGenerator Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "chest" => new ChestPhantom(),
            "head" => new HeadPhantom(),
            "shepp-logan" => new SheppLoganPhantom(),
            _ => throw new ArgumentException($"Unknown phantom '{name}'; known: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
