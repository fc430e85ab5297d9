using FedNano.Dicom;
using FedNano.DicomService.Core;
using static FedNano.DicomService.Tests.Core.CoreInstances;

namespace FedNano.DicomService.Tests.Core;

/// <summary>QIDO-RS matching, return attributes and paging over a small corpus of three studies.</summary>
public sealed class QueryServiceTests : IDisposable
{
    private readonly CoreTestStorage _storage = new();
    private readonly string _studyA = NewUid(), _studyB = NewUid(), _studyC = NewUid();
    private readonly string _seriesA1 = NewUid(), _seriesA2 = NewUid(), _seriesB1 = NewUid(), _seriesC1 = NewUid();
    private readonly string _sopA1 = NewUid();

    public QueryServiceTests()
    {
        _storage.StoreAllAsync(
            Ct(_studyA, _seriesA1, _sopA1, patientName: "Doe^Jane", patientId: "PID_1", studyDate: "20240131", studyTime: "083000", instanceNumber: 1),
            Ct(_studyA, _seriesA1, NewUid(), patientName: "Doe^Jane", patientId: "PID_1", studyDate: "20240131", studyTime: "083000", instanceNumber: 2),
            Ct(_studyA, _seriesA2, NewUid(), patientName: "Doe^Jane", patientId: "PID_1", studyDate: "20240131", studyTime: "083000", modality: "MR", seriesNumber: 2),
            Ct(_studyB, _seriesB1, NewUid(), patientName: "Smith^John^Q", patientId: "PIDX1", studyDate: "20230615", studyTime: "141500"),
            Ct(_studyC, _seriesC1, NewUid(), patientName: "van der Berg^Anna", patientId: "P[2]", studyDate: "20221224", studyTime: "235959", pixels: false))
            .GetAwaiter().GetResult();
    }

    public void Dispose() => _storage.Dispose();

    private async Task<string[]> Studies(params (string, string)[] parameters) =>
        (await _storage.SearchAsync(ResourceLevel.Study, parameters)).Matches.Select(m => m.GetString(DicomTags.StudyInstanceUID)!).ToArray();

    [Fact]
    public async Task No_parameters_return_every_study_in_storage_order()
    {
        Assert.Equal([_studyA, _studyB, _studyC], await Studies());
    }

    [Fact]
    public async Task Person_name_single_value_matching_ignores_case()
    {
        Assert.Equal([_studyB], await Studies(("PatientName", "smith^john^q")));
    }

    [Fact]
    public async Task Keyword_and_tag_select_the_same_attribute()
    {
        Assert.Equal(await Studies(("PatientID", "PIDX1")), await Studies(("00100020", "PIDX1")));
        Assert.Equal([_studyB], await Studies(("(0010,0020)", "PIDX1")));
    }

    [Fact]
    public async Task Star_wildcard_matches_any_run_of_characters()
    {
        Assert.Equal([_studyA], await Studies(("PatientName", "Do*")));
        Assert.Equal([_studyB], await Studies(("PatientName", "*john*")));
    }

    [Fact]
    public async Task Question_mark_wildcard_matches_exactly_one_character()
    {
        Assert.Equal([_studyA, _studyB], await Studies(("PatientID", "PID?1")));
        Assert.Empty(await Studies(("PatientID", "PID?")));
    }

    [Fact]
    public async Task Characters_special_to_sql_like_or_glob_match_literally()
    {
        Assert.Equal([_studyA], await Studies(("PatientID", "PID_*")));
        Assert.Equal([_studyC], await Studies(("PatientID", "P[2]")));
        Assert.Equal([_studyC], await Studies(("PatientID", "P[*")));
        Assert.Empty(await Studies(("PatientID", "PID%")));
    }

    [Fact]
    public async Task Text_single_value_matching_is_case_sensitive()
    {
        Assert.Empty(await Studies(("PatientID", "pidx1")));
    }

    [Fact]
    public async Task Uid_lists_may_be_separated_by_commas_or_backslashes()
    {
        Assert.Equal([_studyA, _studyC], await Studies(("StudyInstanceUID", $"{_studyA},{_studyC}")));
        Assert.Equal([_studyB, _studyC], await Studies(("StudyInstanceUID", $"{_studyB}\\{_studyC}")));
    }

    [Fact]
    public async Task Date_ranges_may_be_closed_or_open_at_either_end()
    {
        Assert.Equal([_studyA, _studyB], await Studies(("StudyDate", "20230101-20241231")));
        Assert.Equal([_studyA], await Studies(("StudyDate", "20240101-")));
        Assert.Equal([_studyC], await Studies(("StudyDate", "-20221231")));
        Assert.Equal([_studyB], await Studies(("StudyDate", "20230615")));
    }

    [Fact]
    public async Task Time_ranges_cover_the_precision_given()
    {
        Assert.Equal([_studyA, _studyB], await Studies(("StudyTime", "08-14")));
        Assert.Equal([_studyC], await Studies(("StudyTime", "2300-")));
        Assert.Equal([_studyA], await Studies(("StudyTime", "08")));
    }

    [Fact]
    public async Task Fuzzy_matching_finds_case_insensitive_prefixes_of_name_components()
    {
        Assert.Equal([_studyB], await Studies(("PatientName", "joh"), ("fuzzymatching", "true")));
        Assert.Equal([_studyC], await Studies(("PatientName", "ber an"), ("fuzzymatching", "true")));
        Assert.Empty(await Studies(("PatientName", "ohn"), ("fuzzymatching", "true")));
        Assert.Empty(await Studies(("PatientName", "joh")));
    }

    [Fact]
    public async Task Modalities_in_study_matches_any_series_modality()
    {
        Assert.Equal([_studyA], await Studies(("ModalitiesInStudy", "MR")));
        Assert.Equal([_studyA, _studyB, _studyC], await Studies(("ModalitiesInStudy", "CT,MR")));
    }

    [Fact]
    public async Task Study_results_have_the_default_attributes_and_computed_counts()
    {
        var match = Assert.Single((await _storage.SearchAsync(ResourceLevel.Study, ("StudyInstanceUID", _studyA))).Matches);

        Assert.Equal("20240131", match.GetString(DicomTags.StudyDate));
        Assert.Equal("083000", match.GetString(DicomTags.StudyTime));
        Assert.Equal("ACC-PID_1", match.GetString(DicomTags.AccessionNumber));
        Assert.Equal("Doe^Jane", match.GetString(DicomTags.PatientName));
        Assert.Equal("PID_1", match.GetString(DicomTags.PatientID));
        Assert.Equal("19700101", match.GetString(DicomTags.PatientBirthDate));
        Assert.Equal("F", match.GetString(DicomTags.PatientSex));
        Assert.Equal("S1", match.GetString(DicomTags.StudyID));
        Assert.Equal("Ref^Doctor", match.GetString(DicomTags.ReferringPhysicianName));
        Assert.Equal(["CT", "MR"], match.GetStrings(DicomTags.ModalitiesInStudy));
        Assert.Equal("2", match.GetString(DicomTags.NumberOfStudyRelatedSeries));
        Assert.Equal("3", match.GetString(DicomTags.NumberOfStudyRelatedInstances));
        Assert.Equal("ONLINE", match.GetString(DicomTags.InstanceAvailability));
        Assert.Equal("ISO_IR 192", match.GetString(DicomTags.SpecificCharacterSet));
        Assert.False(match.Contains(DicomTags.SeriesInstanceUID));
    }

    [Fact]
    public async Task Series_results_within_a_study_have_the_series_defaults_and_instance_counts()
    {
        var matches = (await _storage.SearchAsync(ResourceLevel.Series, _studyA, null)).Matches;

        Assert.Equal([_seriesA1, _seriesA2], matches.Select(m => m.GetString(DicomTags.SeriesInstanceUID)));
        Assert.Equal(["CT", "MR"], matches.Select(m => m.GetString(DicomTags.Modality)));
        Assert.Equal(["2", "1"], matches.Select(m => m.GetString(DicomTags.NumberOfSeriesRelatedInstances)));
        Assert.Equal(["1", "2"], matches.Select(m => m.GetString(DicomTags.SeriesNumber)));
        Assert.All(matches, m => Assert.Equal(_studyA, m.GetString(DicomTags.StudyInstanceUID)));
        Assert.All(matches, m => Assert.False(m.Contains(DicomTags.PatientName)));
    }

    [Fact]
    public async Task Series_results_without_a_study_in_the_url_also_have_the_study_defaults()
    {
        var match = Assert.Single((await _storage.SearchAsync(ResourceLevel.Series, ("SeriesInstanceUID", _seriesB1))).Matches);

        Assert.Equal("Smith^John^Q", match.GetString(DicomTags.PatientName));
        Assert.Equal("1", match.GetString(DicomTags.NumberOfStudyRelatedInstances));
    }

    [Fact]
    public async Task Instance_results_have_the_instance_defaults()
    {
        var matches = (await _storage.SearchAsync(ResourceLevel.Instance, _studyA, _seriesA1)).Matches;

        Assert.Equal(2, matches.Count);
        var first = matches[0];
        Assert.Equal(_sopA1, first.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal(CtImageStorage, first.GetString(DicomTags.SOPClassUID));
        Assert.Equal("1", first.GetString(DicomTags.InstanceNumber));
        Assert.Equal(4, first.GetValue<int>(DicomTags.Rows));
        Assert.Equal(4, first.GetValue<int>(DicomTags.Columns));
        Assert.Equal(16, first.GetValue<int>(DicomTags.BitsAllocated));
        Assert.Equal(_seriesA1, first.GetString(DicomTags.SeriesInstanceUID));
        Assert.Equal(_studyA, first.GetString(DicomTags.StudyInstanceUID));
    }

    [Fact]
    public async Task Study_attributes_can_be_matched_in_an_instance_query()
    {
        var matches = (await _storage.SearchAsync(ResourceLevel.Instance, ("PatientID", "PIDX1"))).Matches;

        Assert.Equal(_seriesB1, Assert.Single(matches).GetString(DicomTags.SeriesInstanceUID));
    }

    [Fact]
    public async Task Includefield_adds_attributes_from_the_stored_metadata_of_the_first_instance()
    {
        var match = Assert.Single((await _storage.SearchAsync(ResourceLevel.Study,
            ("StudyInstanceUID", _studyA), ("includefield", "Manufacturer,00081030"), ("includefield", "SeriesDescription"))).Matches);

        Assert.Equal("FedNano", match.GetString(DicomTags.Manufacturer));
        Assert.Equal("Core test study", match.GetString(DicomTags.StudyDescription));
        Assert.Equal("Core test series 1", match.GetString(DicomTags.SeriesDescription));
    }

    [Fact]
    public async Task Includefield_all_returns_the_stored_metadata_without_bulk_data()
    {
        var match = Assert.Single((await _storage.SearchAsync(ResourceLevel.Instance, ("SOPInstanceUID", _sopA1), ("includefield", "all"))).Matches);

        Assert.Equal("FedNano", match.GetString(DicomTags.Manufacturer));
        Assert.Equal("MONOCHROME2", match.GetString(DicomTags.PhotometricInterpretation));
        Assert.Equal(12, match.GetValue<int>(DicomTags.BitsStored));
        Assert.False(match.Contains(DicomTags.PixelData));
        Assert.Equal("ONLINE", match.GetString(DicomTags.InstanceAvailability));
    }

    [Fact]
    public async Task Includefield_all_at_study_level_leaves_out_the_first_instance_identity()
    {
        var match = Assert.Single((await _storage.SearchAsync(ResourceLevel.Study, ("StudyInstanceUID", _studyA), ("includefield", "all"))).Matches);

        Assert.Equal("FedNano", match.GetString(DicomTags.Manufacturer));
        Assert.False(match.Contains(DicomTags.SOPInstanceUID));
        Assert.False(match.Contains(DicomTags.SeriesInstanceUID));
        Assert.Equal("3", match.GetString(DicomTags.NumberOfStudyRelatedInstances));
    }

    [Fact]
    public async Task Matching_keys_are_returned_even_when_not_default_attributes()
    {
        var match = (await _storage.SearchAsync(ResourceLevel.Instance, _studyA, _seriesA1, ("Manufacturer", ""))).Matches[0];

        Assert.Equal("FedNano", match.GetString(DicomTags.Manufacturer));
    }

    [Fact]
    public async Task Limit_and_offset_page_in_a_stable_order_and_report_more_results()
    {
        var first = await _storage.SearchAsync(ResourceLevel.Study, ("limit", "2"));
        var second = await _storage.SearchAsync(ResourceLevel.Study, ("limit", "2"), ("offset", "2"));

        Assert.True(first.HasMore);
        Assert.Equal([_studyA, _studyB], first.Matches.Select(m => m.GetString(DicomTags.StudyInstanceUID)));
        Assert.False(second.HasMore);
        Assert.Equal([_studyC], second.Matches.Select(m => m.GetString(DicomTags.StudyInstanceUID)));
    }

    [Fact]
    public async Task A_limit_above_the_maximum_is_reduced_with_a_warning()
    {
        using var small = new CoreTestStorage(o => o.MaxQueryLimit = 2);
        await small.StoreAllAsync(Ct(NewUid(), NewUid(), NewUid()), Ct(NewUid(), NewUid(), NewUid()), Ct(NewUid(), NewUid(), NewUid()));

        var result = await small.SearchAsync(ResourceLevel.Study, ("limit", "50"));

        Assert.Equal(2, result.Matches.Count);
        Assert.True(result.HasMore);
        Assert.Contains(result.Warnings, w => w.Contains("at most 2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("NoSuchKeyword", "x", "Unknown query parameter 'NoSuchKeyword'")]
    [InlineData("StudyDate", "2024-01-01", "StudyDate")]
    [InlineData("StudyDate", "yesterday", "not a date")]
    [InlineData("StudyInstanceUID", "1.2.*", "wildcards are not allowed")]
    [InlineData("SOPInstanceUID", "1.2.3", "instance-level attribute")]
    [InlineData("limit", "0", "limit")]
    [InlineData("offset", "-1", "offset")]
    [InlineData("fuzzymatching", "maybe", "fuzzymatching")]
    [InlineData("includefield", "NotAnAttribute", "Unknown includefield")]
    public async Task Bad_parameters_are_rejected_with_a_specific_message(string key, string value, string expected)
    {
        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() => _storage.SearchAsync(ResourceLevel.Study, (key, value)));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_known_attribute_that_is_not_indexed_is_ignored_with_a_warning()
    {
        var result = await _storage.SearchAsync(ResourceLevel.Study, ("Manufacturer", "Nobody"));

        Assert.Equal(3, result.Matches.Count);
        Assert.Contains(result.Warnings, w => w.Contains("Manufacturer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_match_gives_an_empty_result()
    {
        var result = await _storage.SearchAsync(ResourceLevel.Study, ("PatientID", "nobody"));

        Assert.Empty(result.Matches);
        Assert.False(result.HasMore);
    }
}
