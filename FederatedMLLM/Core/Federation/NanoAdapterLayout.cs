namespace FedNano.FederatedMLLM.Federation;

/// <summary>
/// The global adapters a federation starts from, without building a model: for each enabled slot, A [r, d] drawn
/// uniformly in ±1/√d from a seed and B [d, r] zero, named as <see cref="NanoEdge.Export"/> names them.
/// </summary>
public static class NanoAdapterLayout
{
    /// <summary>Initial adapters of width <paramref name="width"/>.</summary>
    public static AdapterSet Initial(int width, NanoAdapterOptions options, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var random = new Random(seed);
        double bound = 1 / Math.Sqrt(width);
        var tensors = new List<AdapterTensor>();
        foreach (var slot in new[] { ("image", options.ImageAdapter), ("text", options.TextAdapter) }.Where(s => s.Item2).Select(s => s.Item1))
        {
            var down = new float[options.Rank * width];
            for (int i = 0; i < down.Length; i++) down[i] = (float)((2 * random.NextDouble() - 1) * bound);
            tensors.Add(new AdapterTensor($"{slot}.down.weight", [options.Rank, width], down));
            tensors.Add(new AdapterTensor($"{slot}.up.weight", [width, options.Rank], new float[width * options.Rank]));
        }
        return new AdapterSet(tensors);
    }
}
