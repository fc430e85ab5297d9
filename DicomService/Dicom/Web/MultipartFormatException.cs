namespace FedNano.Dicom;

/// <summary>
/// A malformed <c>multipart</c> body: no boundary delimiter, a truncated part, headers over the size limit, a bad
/// header or delimiter line. The message names the part and the byte offset in the body; a server answers 400.
/// </summary>
public sealed class MultipartFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, including where.</param>
    /// <param name="offset">Byte offset in the multipart body where the problem was found (-1 if not applicable).</param>
    public MultipartFormatException(string message, long offset = -1) : base(message) => Offset = offset;

    /// <summary>Byte offset in the multipart body where the problem was found, or -1.</summary>
    public long Offset { get; }
}
