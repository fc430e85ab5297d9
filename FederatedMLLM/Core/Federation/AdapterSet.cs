namespace FedNano.FederatedMLLM.Federation;

/// <summary>A site's or the server's adapters: named tensors in a fixed order (the layout every update must match).</summary>
public sealed class AdapterSet
{
    /// <summary>Wraps <paramref name="tensors"/>; names must be unique and each value count must match its shape.</summary>
    /// <exception cref="ArgumentException">A duplicate name or a shape/value mismatch, naming the tensor.</exception>
    public AdapterSet(IReadOnlyList<AdapterTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            if (!seen.Add(t.Name)) throw new ArgumentException($"Adapter tensor '{t.Name}' appears twice.", nameof(tensors));
            if (t.Shape.Any(d => d < 1) || t.ElementCount != t.Values.Length)
                throw new ArgumentException($"Adapter tensor '{t.Name}' has shape [{string.Join(", ", t.Shape)}] but {t.Values.Length} values.", nameof(tensors));
        }
        Tensors = tensors;
    }

    /// <summary>The tensors, in layout order.</summary>
    public IReadOnlyList<AdapterTensor> Tensors { get; }

    /// <summary>Total parameters.</summary>
    public long ParameterCount => Tensors.Sum(t => t.ElementCount);

    /// <summary>Whether <paramref name="other"/> has the same names and shapes in the same order.</summary>
    public bool SameLayout(AdapterSet other) =>
        other is not null && other.Tensors.Count == Tensors.Count && Tensors.Zip(other.Tensors).All(p => p.First.SameLayout(p.Second));

    /// <summary>A set of the same layout with values from <paramref name="values"/> (one array per tensor).</summary>
    public AdapterSet With(IReadOnlyList<float[]> values) =>
        new(Tensors.Select((t, i) => t with { Values = values[i] }).ToArray());

    /// <summary>All values concatenated in layout order.</summary>
    public float[] Flatten() => Tensors.SelectMany(t => t.Values).ToArray();
}
