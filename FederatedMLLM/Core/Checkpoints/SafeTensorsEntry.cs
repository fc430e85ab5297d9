namespace FedNano.FederatedMLLM.Checkpoints;

/// <summary>One tensor's header entry in a safetensors file: dtype, shape and its byte range after the header.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="Dtype">safetensors dtype name (F32, BF16, …).</param>
/// <param name="Shape">Shape.</param>
/// <param name="Begin">First byte, relative to the end of the header.</param>
/// <param name="End">One past the last byte.</param>
/// <param name="File">The file that holds it.</param>
public sealed record SafeTensorsEntry(string Name, string Dtype, long[] Shape, long Begin, long End, string File)
{
    /// <summary>Number of elements.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The shape as text, e.g. [4096, 11008].</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
