using FedNano.Dicom;
using FedNano.DicomService.Core;
using static FedNano.DicomService.Tests.Core.CoreInstances;

namespace FedNano.DicomService.Tests.Core;

public sealed class QueryEncodingTests : IDisposable
{
    private readonly CoreTestStorage _storage = new();

    public void Dispose() => _storage.Dispose();

    [Fact]
    public async Task Names_stored_in_latin1_are_matched_and_returned_as_unicode()
    {
        var study = NewUid();
        var dataset = Ct(study, NewUid(), NewUid());
        dataset.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        dataset.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Müller^Jürgen");
        Assert.True(dataset.TryGetElement(DicomTags.PatientName, out var raw) && raw.Value.GetMemory().Span.Contains((byte)0xFC)); // ü in Latin-1
        await _storage.StoreAllAsync(dataset);

        var exact = Assert.Single((await _storage.SearchAsync(ResourceLevel.Study, ("PatientName", "MÜLLER^jürgen"))).Matches);
        var fuzzy = Assert.Single((await _storage.SearchAsync(ResourceLevel.Study, ("PatientName", "mül jür"), ("fuzzymatching", "true"))).Matches);

        Assert.Equal("Müller^Jürgen", exact.GetString(DicomTags.PatientName));
        Assert.Equal("ISO_IR 192", exact.GetString(DicomTags.SpecificCharacterSet));
        Assert.Equal(study, fuzzy.GetString(DicomTags.StudyInstanceUID));
    }

    [Fact]
    public async Task Date_time_ranges_and_single_values_ignore_the_utc_offset()
    {
        var study = NewUid();
        var early = Ct(study, NewUid(), NewUid());
        early.AddOrUpdate(DicomTags.AcquisitionDateTime, DicomVR.DT, "20240131081500.25+0100");
        var late = Ct(study, NewUid(), NewUid());
        late.AddOrUpdate(DicomTags.AcquisitionDateTime, DicomVR.DT, "20240201");
        await _storage.StoreAllAsync(early, late);
        async Task<int> Count(string value) =>
            (await _storage.SearchAsync(ResourceLevel.Instance, ("AcquisitionDateTime", value))).Matches.Count;

        Assert.Equal(2, await Count("202401-202402"));
        Assert.Equal(1, await Count("2024013108-2024013109"));
        Assert.Equal(1, await Count("20240201-"));
        Assert.Equal(1, await Count("2024013108"));
        Assert.Equal(1, await Count("2024013108-0500"));
    }
}
