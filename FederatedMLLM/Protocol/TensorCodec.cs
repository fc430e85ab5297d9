using Google.Protobuf;
using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Protocol;

/// <summary>
/// Tensors ↔ <see cref="TensorMessage"/>: fp32 or fp16 little-endian bytes plus the shape. Decoding checks the
/// shape against the byte count and a size limit, and refuses non-finite values, so a malformed or hostile
/// message fails with a reason instead of corrupting a training step.
/// </summary>
public static class TensorCodec
{
    /// <summary>Encodes <paramref name="value"/> at <paramref name="precision"/>.</summary>
    public static TensorMessage Encode(Tensor value, Precision precision)
    {
        ArgumentNullException.ThrowIfNull(value);
        var message = new TensorMessage { Precision = precision };
        message.Shape.AddRange(value.shape);
        using var scope = NewDisposeScope();
        var cpu = value.detach().cpu().contiguous();
        if (precision == Precision.Fp16)
        {
            var halves = cpu.to(ScalarType.Float16).data<Half>().ToArray();
            var bytes = new byte[halves.Length * 2];
            for (int i = 0; i < halves.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(2 * i), halves[i]);
            message.Data = ByteString.CopyFrom(bytes);
        }
        else
        {
            var floats = cpu.to(ScalarType.Float32).data<float>().ToArray();
            var bytes = new byte[floats.Length * 4];
            Buffer.BlockCopy(floats, 0, bytes, 0, bytes.Length);
            message.Data = ByteString.CopyFrom(bytes);
        }
        return message;
    }

    /// <summary>Decodes <paramref name="message"/> into an fp32 tensor.</summary>
    /// <exception cref="FormatException">A bad shape, a byte count that does not match it, too many elements, or a non-finite value.</exception>
    public static Tensor Decode(TensorMessage message, long maxElements = 64L << 20)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Shape.Count == 0 || message.Shape.Any(d => d < 1)) throw new FormatException($"Tensor shape [{string.Join(", ", message.Shape)}] is not a positive shape.");
        long count = 1;
        foreach (var d in message.Shape)
        {
            count *= d;
            if (count > maxElements) throw new FormatException($"Tensor of shape [{string.Join(", ", message.Shape)}] exceeds the limit of {maxElements} elements.");
        }
        int width = message.Precision switch
        {
            Precision.Fp32 => 4,
            Precision.Fp16 => 2,
            _ => throw new FormatException($"Unknown tensor precision {(int)message.Precision}."),
        };
        if (message.Data.Length != count * width)
            throw new FormatException($"Tensor of shape [{string.Join(", ", message.Shape)}] at {message.Precision} needs {count * width} bytes, got {message.Data.Length}.");
        var span = message.Data.Span;
        var values = new float[count];
        if (width == 4) Buffer.BlockCopy(span.ToArray(), 0, values, 0, span.Length);
        else for (long i = 0; i < count; i++) values[i] = (float)BitConverter.ToHalf(span.Slice((int)(2 * i), 2));
        int bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0) throw new FormatException($"Tensor element {bad} is not finite ({values[bad]}).");
        return tensor(values, [.. message.Shape]);
    }
}
