using FedNano.FederatedMLLM.Federation;
using Google.Protobuf;

namespace FedNano.FederatedMLLM.Protocol;

/// <summary><see cref="AdapterSet"/> ↔ named fp32 tensor messages (adapters and Fisher always travel at fp32).</summary>
public static class AdapterCodec
{
    /// <summary>Encodes <paramref name="set"/>.</summary>
    public static IEnumerable<NamedTensor> Encode(AdapterSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        foreach (var t in set.Tensors)
        {
            var bytes = new byte[t.Values.Length * 4];
            Buffer.BlockCopy(t.Values, 0, bytes, 0, bytes.Length);
            var message = new TensorMessage { Precision = Precision.Fp32, Data = ByteString.CopyFrom(bytes) };
            message.Shape.AddRange(t.Shape);
            yield return new NamedTensor { Name = t.Name, Tensor = message };
        }
    }

    /// <summary>Decodes named tensors; values are not checked for finiteness here (the update validator rejects those with a reason).</summary>
    /// <exception cref="FormatException">A missing tensor, a bad shape or a byte count that does not match it.</exception>
    public static AdapterSet Decode(IEnumerable<NamedTensor> tensors, long maxElements = 64L << 20)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = new List<AdapterTensor>();
        long total = 0;
        foreach (var named in tensors)
        {
            var m = named.Tensor ?? throw new FormatException($"Adapter tensor '{named.Name}' has no data.");
            if (m.Precision != Precision.Fp32) throw new FormatException($"Adapter tensor '{named.Name}' must be fp32.");
            if (m.Shape.Count == 0 || m.Shape.Any(d => d < 1)) throw new FormatException($"Adapter tensor '{named.Name}' has shape [{string.Join(", ", m.Shape)}].");
            long count = m.Shape.Aggregate(1L, (a, b) => a * b);
            total += count;
            if (total > maxElements) throw new FormatException($"Adapters exceed the limit of {maxElements} elements.");
            if (m.Data.Length != count * 4) throw new FormatException($"Adapter tensor '{named.Name}' of shape [{string.Join(", ", m.Shape)}] needs {count * 4} bytes, got {m.Data.Length}.");
            var values = new float[count];
            Buffer.BlockCopy(m.Data.ToByteArray(), 0, values, 0, m.Data.Length);
            list.Add(new AdapterTensor(named.Name, [.. m.Shape], values));
        }
        try
        {
            return new AdapterSet(list);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }
}
