using static TorchSharp.torch;

namespace FedNano.FederatedMLLM.Checkpoints;

/// <summary>The safetensors dtype names this loader reads and writes, and their torch types.</summary>
public static class SafeTensorsDtype
{
    /// <summary>The torch type of a safetensors dtype name.</summary>
    /// <exception cref="FormatException">A dtype this loader does not handle.</exception>
    public static ScalarType ToScalarType(string dtype) => dtype switch
    {
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "F64" => ScalarType.Float64,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new FormatException($"safetensors dtype '{dtype}' is not supported."),
    };

    /// <summary>The safetensors name of a torch type.</summary>
    /// <exception cref="ArgumentException">A type safetensors has no name for here.</exception>
    public static string FromScalarType(ScalarType type) => type switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Float64 => "F64",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new ArgumentException($"No safetensors dtype for {type}.", nameof(type)),
    };

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(string dtype) => dtype switch
    {
        "F64" or "I64" => 8,
        "F32" or "I32" => 4,
        "F16" or "BF16" or "I16" => 2,
        "I8" or "U8" or "BOOL" => 1,
        _ => throw new FormatException($"safetensors dtype '{dtype}' is not supported."),
    };

    /// <summary>The torch type for a precision name used in configuration ("float32"/"fp32", "bfloat16"/"bf16", "float16"/"fp16").</summary>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public static ScalarType ParsePrecision(string name) => name.ToLowerInvariant() switch
    {
        "float32" or "fp32" or "f32" => ScalarType.Float32,
        "bfloat16" or "bf16" => ScalarType.BFloat16,
        "float16" or "fp16" or "f16" or "half" => ScalarType.Float16,
        _ => throw new ArgumentException($"Precision '{name}' is not float32, bfloat16 or float16.", nameof(name)),
    };
}
