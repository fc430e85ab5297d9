namespace FedNano.PacsBridge;

/// <summary>One Part 10 instance to send with STOW-RS: bytes in memory, or a stream read from its position to its end.</summary>
public sealed class StowPart
{
    private StowPart(ReadOnlyMemory<byte>? bytes, Stream? stream)
    {
        Bytes = bytes;
        Stream = stream;
    }

    /// <summary>The instance in memory, or null.</summary>
    public ReadOnlyMemory<byte>? Bytes { get; }

    /// <summary>The instance as a stream (not disposed by the client), or null.</summary>
    public Stream? Stream { get; }

    /// <summary>The content length when it is known up front (bytes, or a seekable stream).</summary>
    public long? Length => Bytes is { } b ? b.Length : Stream is { CanSeek: true } s ? s.Length - s.Position : null;

    /// <summary>A part from bytes.</summary>
    public static StowPart FromBytes(ReadOnlyMemory<byte> bytes) => new(bytes, null);

    /// <summary>A part from a stream.</summary>
    public static StowPart FromStream(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new StowPart(null, stream);
    }

    /// <summary>Bytes convert implicitly.</summary>
    public static implicit operator StowPart(byte[] bytes) => FromBytes(bytes);
}
