using System.Globalization;

namespace FedNano.Reconstruction.DicomIo;

/// <summary>
/// DICOM-CT-PD projection data that cannot be turned into a <see cref="Scans.ProjectionScan"/>: what is wrong
/// (<see cref="Reason"/>) and where (<see cref="FilePath"/>, <see cref="InstanceNumber"/>, <see cref="InputIndex"/>).
/// </summary>
public sealed class ProjectionDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">What is wrong, in words.</param>
    /// <param name="filePath">The offending file, when the input came from files.</param>
    /// <param name="instanceNumber">The offending instance's InstanceNumber (0020,0013), when known.</param>
    /// <param name="inputIndex">0-based position of the offending instance in the input, when known.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public ProjectionDataException(string reason, string? filePath = null, int? instanceNumber = null, int? inputIndex = null, Exception? inner = null)
        : base(Format(reason, filePath, instanceNumber, inputIndex), inner)
    {
        Reason = reason;
        FilePath = filePath;
        InstanceNumber = instanceNumber;
        InputIndex = inputIndex;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    /// <summary>The offending file, or null (in-memory input, or a problem of the whole series).</summary>
    public string? FilePath { get; }

    /// <summary>The offending instance's InstanceNumber, or null.</summary>
    public int? InstanceNumber { get; }

    /// <summary>0-based position of the offending instance in the input (file name order for a directory), or null.</summary>
    public int? InputIndex { get; }

    private static string Format(string reason, string? filePath, int? instanceNumber, int? inputIndex)
    {
        var where = new List<string>(3);
        if (filePath is not null)
        {
            where.Add("file " + filePath);
        }
        if (instanceNumber is { } n)
        {
            where.Add(string.Create(CultureInfo.InvariantCulture, $"InstanceNumber {n}"));
        }
        if (inputIndex is { } i && filePath is null)
        {
            where.Add(string.Create(CultureInfo.InvariantCulture, $"input #{i}"));
        }
        return where.Count == 0
            ? $"Projection data rejected: {reason}"
            : $"Projection data rejected: {reason} ({string.Join(", ", where)})";
    }
}
