using System.Text.Json;
using FedNano.Reconstruction.Phantoms;

namespace FedNano.Reconstruction.Tests.Phantoms;

public class PhantomFindingsTests
{
    private static PhantomFindings ChestWithEverything()
    {
        var options = new ChestPhantomOptions
        {
            VesselTerminalsPerTree = 100, NoduleCountMin = 3, NoduleCountMax = 3, PartSolidProbability = 0.5,
            GroundGlassProbability = 0.2, EmphysemaProbability = 1, EffusionProbability = 1,
        };
        return new ChestPhantom(options).Findings(17);
    }

    [Fact]
    public void Chest_findings_survive_a_json_round_trip()
    {
        PhantomFindings original = ChestWithEverything();
        Assert.NotEmpty(original.Nodules);
        Assert.NotEmpty(original.Emphysema);
        Assert.NotEmpty(original.PleuralEffusions);
        PhantomFindings copy = PhantomFindings.FromJson(original.ToJson());
        Assert.Equal(original, copy);
        Assert.Equal(original.ToJson(), copy.ToJson());
        Assert.False(copy.IsNormal);
    }

    [Fact]
    public void Head_and_shepp_logan_findings_survive_a_json_round_trip()
    {
        PhantomFindings head = new HeadPhantom(new HeadPhantomOptions { LesionProbability = 1, FillingProbability = 1 }).Findings(3);
        Assert.Equal(head, PhantomFindings.FromJson(head.ToJson()));
        PhantomFindings shepp = new SheppLoganPhantom(new SheppLoganPhantomOptions { RadiusMm = 90 })
            .Generate(new(9, 9, 1, 20, 1, 0), 0).Findings;
        Assert.Equal(shepp, PhantomFindings.FromJson(shepp.ToJson()));
        Assert.True(shepp.IsNormal);
    }

    [Fact]
    public void Json_uses_camel_case_names_and_kebab_case_enum_strings()
    {
        string json = ChestWithEverything().ToJson();
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement root = doc.RootElement;
        Assert.Equal("chest", root.GetProperty("phantom").GetString());
        Assert.Equal(17, root.GetProperty("seed").GetInt32());
        JsonElement nodule = root.GetProperty("nodules")[0];
        Assert.Contains(nodule.GetProperty("type").GetString(), new[] { "solid", "part-solid", "ground-glass" });
        Assert.Contains(nodule.GetProperty("lobe").GetString(), new[] { "right-upper", "right-middle", "right-lower", "left-upper", "left-lower" });
        Assert.True(nodule.GetProperty("center").TryGetProperty("xMm", out _));
        Assert.True(root.GetProperty("pleuralEffusions")[0].TryGetProperty("maxDepthMm", out _));
        Assert.False(root.TryGetProperty("head", out _)); // absent parts are omitted
    }

    [Fact]
    public void Equality_compares_list_contents()
    {
        PhantomFindings a = ChestWithEverything();
        PhantomFindings b = a with { Nodules = [.. a.Nodules] };
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, a with { Nodules = [.. a.Nodules.Skip(1)] });
        Assert.NotEqual(a, a with { Seed = 18 });
    }

    [Fact]
    public void Minimal_json_gives_empty_lists()
    {
        PhantomFindings f = PhantomFindings.FromJson("""{"phantom":"chest","seed":5}""");
        Assert.Equal(new PhantomFindings("chest", 5), f);
        Assert.Empty(f.Nodules);
        Assert.Null(f.Chest);
        Assert.True(f.IsNormal);
    }

    [Theory]
    [InlineData("{not json", "invalid")]
    [InlineData("null", "null")]
    [InlineData("""{"seed":5}""", "phantom")]
    [InlineData("""{"phantom":"chest","seed":5,"nodulez":[]}""", "nodulez")]
    [InlineData("""{"phantom":"chest","seed":"five"}""", "$.seed")]
    [InlineData("""{"phantom":"chest","seed":5,"nodules":null}""", "nodules")]
    [InlineData("""{"phantom":" ","seed":5}""", "empty")]
    [InlineData("""{"phantom":"chest","seed":5,"nodules":[{"id":"N1","center":{"xMm":1,"yMm":2,"zMm":3},"diameterMm":5,"densityHu":30,"type":"lumpy","side":"left","lobe":"left-upper"}]}""", "$.nodules[0].type")]
    public void Bad_json_fails_with_a_format_exception_naming_the_problem(string json, string expectedInMessage)
    {
        var e = Assert.Throws<FormatException>(() => PhantomFindings.FromJson(json));
        Assert.Contains(expectedInMessage, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Null_text_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => PhantomFindings.FromJson(null!));
    }
}
