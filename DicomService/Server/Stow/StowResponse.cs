using FedNano.Dicom;
using FedNano.DicomService.Core;
using FedNano.DicomService.Http;

namespace FedNano.DicomService.Stow;

/// <summary>
/// Builds the STOW-RS response (PS3.18 §10.5.3, Annex I) from the store outcome: the status code and the response
/// dataset with RetrieveURL (0008,1190), ReferencedSOPSequence (0008,1199) only when something was stored, and
/// FailedSOPSequence (0008,1198) only when something failed.
/// </summary>
/// <remarks>
/// Status: 200 when every instance was stored without warnings; 202 when some were stored and others failed or
/// carried warnings; when none was stored, 400 if every failure says the data could not be understood
/// (0xCxxx other than 0xC122) and 409 otherwise (a conflict: study mismatch, different object under an existing
/// SOP Instance UID, unsupported SOP class or transfer syntax, out of resources, processing failure); 400 for a
/// request without parts.
/// </remarks>
public sealed class StowResponse
{
    private StowResponse(int statusCode, DicomDataset dataset, IReadOnlyList<string> messages)
    {
        StatusCode = statusCode;
        Dataset = dataset;
        Messages = messages;
    }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The response dataset (written as DICOM JSON).</summary>
    public DicomDataset Dataset { get; }

    /// <summary>Human-readable failure and warning reasons, one per affected instance (sent as <c>Warning</c> headers).</summary>
    public IReadOnlyList<string> Messages { get; }

    /// <summary>Number of instances stored.</summary>
    public int StoredCount => Dataset.GetSequenceItems(DicomTags.ReferencedSOPSequence).Count;

    /// <summary>Number of instances that failed.</summary>
    public int FailedCount => Dataset.GetSequenceItems(DicomTags.FailedSOPSequence).Count;

    /// <summary>Whether a failure reason only says the data could not be understood (malformed), as opposed to a conflict.</summary>
    public static bool IsMalformed(ushort failureReason) =>
        failureReason is >= 0xC000 and <= 0xCFFF && failureReason != 0xC122;

    /// <summary>Builds the response for <paramref name="result"/>; URLs are made with <paramref name="urls"/>.</summary>
    public static StowResponse Build(StowResult result, DicomWebUrls urls)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(urls);

        var referenced = new List<DicomDataset>();
        var failed = new List<DicomDataset>();
        var messages = new List<string>();
        var warned = false;
        var studies = new HashSet<string>(StringComparer.Ordinal);

        foreach (var instance in result.Instances)
        {
            var stored = instance.Key is not null && instance.FailureReason is null;
            var label = instance.SopInstanceUid ?? "(unreadable instance)";
            if (stored)
            {
                var key = instance.Key!;
                studies.Add(key.StudyInstanceUid);
                var item = new DicomDataset();
                AddUid(item, DicomTags.ReferencedSOPClassUID, instance.SopClassUid);
                AddUid(item, DicomTags.ReferencedSOPInstanceUID, instance.SopInstanceUid ?? key.SopInstanceUid);
                item.AddOrUpdate(DicomTags.RetrieveURL, DicomVR.UR, urls.Instance(key));
                if (instance.WarningReason is { } warning)
                {
                    warned = true;
                    item.AddOrUpdate(DicomTags.WarningReason, DicomVR.US, warning);
                    messages.Add($"{label}: warning {warning:X4}{Suffix(instance.Message)}");
                }
                referenced.Add(item);
            }
            else
            {
                var reason = instance.FailureReason ?? (ushort)0x0110; // processing failure when the service gave none
                var item = new DicomDataset();
                AddUid(item, DicomTags.ReferencedSOPClassUID, instance.SopClassUid);
                AddUid(item, DicomTags.ReferencedSOPInstanceUID, instance.SopInstanceUid);
                item.AddOrUpdate(DicomTags.FailureReason, DicomVR.US, reason);
                messages.Add($"{label}: failure {reason:X4}{Suffix(instance.Message)}");
                failed.Add(item);
            }
        }

        var dataset = new DicomDataset();
        var study = result.StudyInstanceUid ?? (studies.Count == 1 ? studies.First() : null);
        if (study is not null) dataset.AddOrUpdate(DicomTags.RetrieveURL, DicomVR.UR, urls.Study(study));
        if (failed.Count > 0) dataset.AddOrUpdate(new DicomSequence(DicomTags.FailedSOPSequence, failed));
        if (referenced.Count > 0) dataset.AddOrUpdate(new DicomSequence(DicomTags.ReferencedSOPSequence, referenced));

        int status;
        if (result.Instances.Count == 0) status = StatusCodes.Status400BadRequest;
        else if (referenced.Count == 0)
            status = result.Instances.All(i => IsMalformed(i.FailureReason ?? 0x0110))
                ? StatusCodes.Status400BadRequest
                : StatusCodes.Status409Conflict;
        else if (failed.Count > 0 || warned) status = StatusCodes.Status202Accepted;
        else status = StatusCodes.Status200OK;

        return new StowResponse(status, dataset, messages);
    }

    private static void AddUid(DicomDataset item, DicomTag tag, string? uid)
    {
        if (!string.IsNullOrEmpty(uid)) item.AddOrUpdate(tag, DicomVR.UI, uid);
    }

    private static string Suffix(string? message) => string.IsNullOrWhiteSpace(message) ? "" : " - " + message;
}
