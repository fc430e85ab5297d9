namespace FedNano.Reconstruction.DicomIo;

/// <summary>One raw projection view a reconstructed slice can reference.</summary>
/// <param name="SopClassUid">SOP Class UID of the view's instance.</param>
/// <param name="SopInstanceUid">SOP Instance UID of the view's instance.</param>
/// <param name="FocalZMm">Focal spot z position of the view (mm).</param>
public sealed record SourceView(string SopClassUid, string SopInstanceUid, double FocalZMm);
