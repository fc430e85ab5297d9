namespace FedNano.FederatedMLLM.Federation;

/// <summary>One named adapter tensor as it travels between a site and the server: row-major fp32 values and a shape.</summary>
/// <param name="Name">Parameter name, e.g. <c>image.down.weight</c>.</param>
/// <param name="Shape">Dimensions.</param>
/// <param name="Values">Row-major values; their count is the product of <paramref name="Shape"/>.</param>
public sealed record AdapterTensor(string Name, long[] Shape, float[] Values)
{
    /// <summary>Elements the shape holds.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Whether two tensors have the same name and shape.</summary>
    public bool SameLayout(AdapterTensor other) => other is not null && Name == other.Name && Shape.SequenceEqual(other.Shape);
}
