using FedNano.Dicom;
using FedNano.DicomService.Core;

namespace FedNano.DicomService.Http;

/// <summary>Content negotiation for the DICOMweb endpoints (Accept header → representation, 406 when nothing fits).</summary>
public static class Negotiation
{
    /// <summary>The JSON representations of QIDO-RS, metadata and STOW-RS responses; the first is the default.</summary>
    public static readonly MediaTypeValue[] JsonRepresentations =
    [
        new(DicomWebMediaTypes.ApplicationDicomJson),
        new(DicomWebMediaTypes.ApplicationJson),
    ];

    /// <summary>The parsed Accept header of the request; a malformed one is a 400.</summary>
    /// <exception cref="InvalidRequestException">The Accept header is malformed.</exception>
    public static AcceptHeader Accept(HttpRequest request)
    {
        if (AcceptHeader.TryParseAll(request.Headers.Accept.Select(v => (string?)v), out var header, out var error)) return header;
        throw new InvalidRequestException(error);
    }

    /// <summary>Picks one of <paramref name="offered"/> (the first is the default) or throws 406 listing what can be produced.</summary>
    /// <exception cref="NotAcceptableException">No offered representation is acceptable.</exception>
    public static MediaTypeValue Choose(HttpRequest request, IReadOnlyList<MediaTypeValue> offered, string resource)
    {
        var match = Accept(request).Negotiate(offered);
        if (match is not null) return match.Representation;
        throw new NotAcceptableException(
            $"{resource} is available as {string.Join(", ", offered.Select(o => o.ToString()))}; the Accept header '{request.Headers.Accept}' allows none of them.");
    }

    /// <summary>Picks the JSON media type for the response (DICOM JSON by default).</summary>
    public static MediaTypeValue ChooseJson(HttpRequest request, string resource) => Choose(request, JsonRepresentations, resource);

    /// <summary>
    /// The transfer syntaxes this host can produce from data stored in <paramref name="storedUid"/>: every syntax the
    /// codec writes when the stored pixel data can be decoded (native or RLE); otherwise only the stored syntax.
    /// </summary>
    public static IReadOnlyList<string> ProducibleFrom(string storedUid)
    {
        if (!DicomTransferSyntax.TryParse(storedUid, out var stored)) return [];
        if (stored.IsEncapsulated && stored != DicomTransferSyntax.RLELossless) return [];
        return DicomTransferSyntax.Writable.Select(t => t.Uid).ToArray();
    }
}
