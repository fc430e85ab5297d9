using System.Text;

namespace FedNano.Dicom.Tests.Json;

public class DicomJsonRoundTripTests
{
    private static DicomElement Raw(DicomTag tag, DicomVR vr, string text) => new(tag, vr, Encoding.UTF8.GetBytes(text));

    /// <summary>One element of every VR, with multi-values, empty values, private data and nesting.</summary>
    private static DicomDataset EveryVR()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        ds.AddOrUpdate(DicomTags.SelectorAEValue, DicomVR.AE, "STORESCP", "PACS");
        ds.AddOrUpdate(DicomTags.SelectorASValue, DicomVR.AS, "045Y");
        ds.AddOrUpdate(DicomTags.SelectorATValue, DicomTags.PatientID, DicomTags.PixelData);
        ds.AddOrUpdate(Raw(DicomTags.SelectorCSValue, DicomVR.CS, @"A\\C"));
        ds.AddOrUpdate(DicomTags.SelectorDAValue, DicomVR.DA, "20240229", "19000101");
        ds.AddOrUpdate(Raw(DicomTags.SelectorDSValue, DicomVR.DS, @"1.50\-2e-5\abc\\0"));
        ds.AddOrUpdate(DicomTags.SelectorDTValue, DicomVR.DT, "20240229123456.123456+0100");
        ds.AddOrUpdate(DicomTags.SelectorFDValue, DicomVR.FD, 0.1, -1e300, double.Epsilon, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0);
        ds.AddOrUpdate(DicomTags.SelectorFLValue, DicomVR.FL, 0.1f, float.MaxValue, float.Epsilon, float.NaN, float.NegativeInfinity);
        ds.AddOrUpdate(Raw(DicomTags.SelectorISValue, DicomVR.IS, @"-2147483648\2147483647\x1"));
        ds.AddOrUpdate(DicomTags.SelectorLOValue, DicomVR.LO, "Łódź", "Zürich");
        ds.AddOrUpdate(DicomTags.SelectorLTValue, DicomVR.LT, "Line 1\r\n  Line 2 \\ with backslash");
        ds.AddOrUpdate(DicomTags.SelectorOBValue, DicomVR.OB, new byte[] { 0, 1, 2, 253, 254, 255 });
        ds.AddOrUpdate(DicomTags.SelectorODValue, DicomVR.OD, 1.5, double.NaN);
        ds.AddOrUpdate(DicomTags.SelectorOFValue, DicomVR.OF, 2.5f, -0.0f);
        ds.AddOrUpdate(DicomTags.SelectorOLValue, DicomVR.OL, 0xDEADBEEFu, 1u);
        ds.AddOrUpdate(DicomTags.SelectorOVValue, DicomVR.OV, ulong.MaxValue);
        ds.AddOrUpdate(DicomTags.SelectorOWValue, DicomVR.OW, (ushort)0x1234, (ushort)0xFFFF);
        ds.AddOrUpdate(DicomTags.SelectorPNValue, DicomVR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう", "", "=王^小東");
        ds.AddOrUpdate(DicomTags.SelectorSHValue, DicomVR.SH, "short");
        ds.AddOrUpdate(DicomTags.SelectorSLValue, DicomVR.SL, int.MinValue, int.MaxValue);
        ds.AddOrUpdate(DicomTags.SelectorSSValue, DicomVR.SS, short.MinValue, (short)-1);
        ds.AddOrUpdate(DicomTags.SelectorSTValue, DicomVR.ST, @"C:\path\file");
        ds.AddOrUpdate(DicomTags.SelectorSVValue, DicomVR.SV, long.MinValue, long.MaxValue, 0L, (1L << 53) - 1, 1L << 53);
        ds.AddOrUpdate(DicomTags.SelectorTMValue, DicomVR.TM, "235959.999999", "00");
        ds.AddOrUpdate(DicomTags.SelectorUCValue, DicomVR.UC, "unlimited characters 𝄞");
        ds.AddOrUpdate(DicomTags.SelectorUIValue, DicomVR.UI, "1.2.840.10008.1.2.1", "1.2.3");
        ds.AddOrUpdate(DicomTags.SelectorULValue, DicomVR.UL, uint.MaxValue, 0u);
        ds.AddOrUpdate(DicomTags.SelectorUNValue, DicomVR.UN, new byte[] { 7, 7, 7 });
        ds.AddOrUpdate(DicomTags.SelectorURValue, DicomVR.UR, "http://example.com/a?b=c");
        ds.AddOrUpdate(DicomTags.SelectorUSValue, DicomVR.US, (ushort)0, ushort.MaxValue);
        ds.AddOrUpdate(DicomTags.SelectorUTValue, DicomVR.UT, "unlimited text ünïcödé");
        ds.AddOrUpdate(DicomTags.SelectorUVValue, DicomVR.UV, ulong.MaxValue, 0ul, 42ul);
        ds.AddOrUpdate(new DicomElement(DicomTags.PatientBirthDate, DicomVR.DA, ReadOnlyMemory<byte>.Empty));
        ds.AddOrUpdate(new DicomElement(DicomTags.SelectorSequencePointer, DicomVR.AT, ReadOnlyMemory<byte>.Empty));

        // Private block: creator, a private text element, a private UN, and a private sequence.
        var privateItem = new DicomDataset();
        privateItem.AddOrUpdate(new DicomElement(new DicomTag(0x0029, 0x0010), DicomVR.LO, "INNER CREATOR"u8.ToArray()));
        privateItem.AddOrUpdate(new DicomElement(new DicomTag(0x0029, 0x1001), DicomVR.FD, BitConverter.GetBytes(3.5)));
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0019, 0x0010), DicomVR.LO, "ACME 1.1"u8.ToArray()));
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0019, 0x1001), DicomVR.LO, "private text"u8.ToArray()));
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0019, 0x1002), DicomVR.UN, new byte[] { 1, 2, 3, 4, 5 }));
        ds.AddOrUpdate(new DicomSequence(new DicomTag(0x0019, 0x1003), [privateItem, new DicomDataset()]));

        // Nested public sequences two levels deep, with an empty sequence inside.
        var leaf = new DicomDataset();
        leaf.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, "1.2.3.4");
        leaf.AddOrUpdate(new DicomSequence(DicomTags.ReferencedSOPSequence));
        var middle = new DicomDataset();
        middle.AddOrUpdate(DicomTags.ReferencedSOPSequence, leaf);
        middle.AddOrUpdate(DicomTags.PatientName, "Ünderscore^Ölaf");
        ds.AddOrUpdate(DicomTags.OtherPatientIDsSequence, middle, new DicomDataset());

        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, [0u, 10u],
            [ByteSource.FromBytes(new byte[] { 1, 2 }), ByteSource.FromBytes(new byte[] { 3, 4, 5, 6 })]));
        return ds;
    }

    private static void AssertEquivalent(DicomDataset expected, DicomDataset actual, string path = "")
    {
        Assert.Equal(expected.Select(i => i.Tag), actual.Select(i => i.Tag));
        foreach (var e in expected)
        {
            var a = actual.GetItem(e.Tag)!;
            var where = $"{path}{e.Tag}";
            Assert.True(e.VR == a.VR, $"{where}: VR {e.VR} became {a.VR}");
            switch (e)
            {
                case DicomSequence s:
                    var items = Assert.IsType<DicomSequence>(a).Items;
                    Assert.Equal(s.Items.Count, items.Count);
                    for (var i = 0; i < items.Count; i++) AssertEquivalent(s.Items[i], items[i], $"{where}[{i}].");
                    break;
                case DicomFragmentSequence f:
                    var g = Assert.IsType<DicomFragmentSequence>(a);
                    Assert.Equal(f.OffsetTable, g.OffsetTable);
                    Assert.Equal(f.Fragments.Select(x => x.GetMemory().ToArray()), g.Fragments.Select(x => x.GetMemory().ToArray()));
                    break;
                case DicomElement element when element.VR.IsString():
                    Assert.True(expected.GetStrings(e.Tag).SequenceEqual(actual.GetStrings(e.Tag)),
                        $"{where}: [{string.Join('|', expected.GetStrings(e.Tag))}] became [{string.Join('|', actual.GetStrings(e.Tag))}]");
                    break;
                case DicomElement element:
                    Assert.True(element.Value.GetMemory().Span.SequenceEqual(((DicomElement)a).Value.GetMemory().Span),
                        $"{where}: bytes differ");
                    break;
            }
        }
    }

    [Fact]
    public void Every_VR_survives_dataset_to_JSON_to_dataset()
    {
        var original = EveryVR();

        var copy = DicomJsonReader.Deserialize(DicomJsonWriter.Serialize(original));

        AssertEquivalent(original, copy);
    }

    [Fact]
    public void Second_round_trip_gives_identical_JSON()
    {
        var once = DicomJsonWriter.Serialize(EveryVR());

        var twice = DicomJsonWriter.Serialize(DicomJsonReader.Deserialize(once));

        Assert.Equal(once, twice);
    }

    [Fact]
    public void Indented_JSON_reads_back_the_same_dataset()
    {
        var original = EveryVR();

        var copy = DicomJsonReader.Deserialize(DicomJsonWriter.Serialize(original, new DicomJsonOptions { WriteIndented = true }));

        AssertEquivalent(original, copy);
    }

    [Fact]
    public void Array_of_datasets_survives_a_round_trip()
    {
        var a = EveryVR();
        var b = new DicomDataset();
        b.AddOrUpdate(DicomTags.PatientID, "B");

        var copies = DicomJsonReader.DeserializeArray(DicomJsonWriter.Serialize([a, b]));

        Assert.Equal(2, copies.Count);
        AssertEquivalent(a, copies[0]);
        AssertEquivalent(b, copies[1]);
    }

    [Fact]
    public void Latin1_dataset_round_trips_to_the_same_text_in_UTF8()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 100");
        ds.AddOrUpdate(DicomTags.PatientName, "Müller^François");
        ds.AddOrUpdate(DicomTags.InstitutionName, "Hôpital Saint-Éloi");

        var copy = DicomJsonReader.Deserialize(DicomJsonWriter.Serialize(ds));

        Assert.Equal("ISO_IR 192", copy.GetString(DicomTags.SpecificCharacterSet));
        Assert.Equal("Müller^François", copy.GetString(DicomTags.PatientName));
        Assert.Equal("Hôpital Saint-Éloi", copy.GetString(DicomTags.InstitutionName));
    }

    [Fact]
    public void Japanese_ISO_2022_dataset_round_trips_to_the_same_text()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "", "ISO 2022 IR 87");
        ds.AddOrUpdate(DicomTags.PatientName, "Yamada^Tarou=山田^太郎=やまだ^たろう");

        var copy = DicomJsonReader.Deserialize(DicomJsonWriter.Serialize(ds));

        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", copy.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Private_creators_and_private_elements_round_trip()
    {
        var copy = DicomJsonReader.Deserialize(DicomJsonWriter.Serialize(EveryVR()));

        Assert.Equal("ACME 1.1", copy.GetPrivateCreator(new DicomTag(0x0019, 0x1001)));
        Assert.Equal("private text", copy.GetString(new DicomTag(0x0019, 0x1001)));
        var item = copy.GetSequenceItems(new DicomTag(0x0019, 0x1003))[0];
        Assert.Equal("INNER CREATOR", item.GetPrivateCreator(new DicomTag(0x0029, 0x1001)));
        Assert.Equal(3.5, item.GetValue<double>(new DicomTag(0x0029, 0x1001)));
    }

    [Fact]
    public void Bulk_data_written_as_URIs_is_restored_by_the_loader()
    {
        var original = EveryVR();
        var store = new Dictionary<string, DicomItem>();
        var options = new DicomJsonOptions
        {
            BulkDataUriResolver = (path, item) =>
            {
                if (item is not DicomElement) return null; // keep encapsulated pixel data inline
                var uri = "bulk/" + string.Join('/', path.Select(t => t.ToJsonKey())) + "/" + store.Count;
                store[uri] = item;
                return uri;
            },
        };

        var json = DicomJsonWriter.Serialize(original, options);
        var copy = DicomJsonReader.Deserialize(json, uri => ((DicomElement)store[uri]).Value);

        Assert.Contains("BulkDataURI", json);
        AssertEquivalent(original, copy);
    }
}
