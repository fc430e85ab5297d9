namespace FedNano.PacsBridge.Tests;

/// <summary>Routing rules and bridge settings: what a rule takes, and settings refused with the reason.</summary>
public sealed class RoutingRuleTests
{
    private static SeriesCandidate Series(string? modality = "CT", string? description = "Raw projections small-sparse 4x2g2", string? ae = "CT01") =>
        new("1.2.3", "1.2.3.4", modality, description, 100, ae);

    [Fact]
    public void A_rule_takes_a_series_only_when_every_condition_given_holds()
    {
        var rule = new RoutingRule { Modality = "CT", SeriesDescriptionPattern = "^raw projections", SourceAeTitle = "CT01" };

        Assert.True(rule.Matches(Series()));
        Assert.False(rule.Matches(Series(modality: "MR")));
        Assert.False(rule.Matches(Series(description: "Lung 1.5 mm")));
        Assert.False(rule.Matches(Series(ae: "CT02")));
        Assert.True(new RoutingRule().Matches(Series(modality: null, description: null, ae: null)));
    }

    [Fact]
    public void Without_rules_the_default_rule_takes_projection_data_back_to_the_source()
    {
        var rule = Assert.Single(new BridgeOptions().EffectiveRules);

        Assert.True(rule.RequireProjectionData);
        Assert.Equal(RoutingRule.SourceDestination, rule.Destination);
        Assert.Null(rule.Method);
    }

    [Theory]
    [InlineData("bad-regex", "SeriesDescriptionPattern is not a regular expression")]
    [InlineData("bad-destination", "destination 'archive' is neither 'source' nor one of Bridge:Destinations")]
    [InlineData("bad-method", "unknown method 'fdk'")]
    [InlineData("bad-attempts", "MaxAttempts must be at least 1")]
    [InlineData("bad-changes", "OrthancUrl")]
    public void Invalid_bridge_settings_are_refused_with_the_reason(string what, string reason)
    {
        var options = new BridgeOptions
        {
            Source = new DicomWebClientOptions { BaseUrl = "http://pacs/dicom-web" },
            Service = new DicomWebClientOptions { BaseUrl = "http://fednano:5080" },
        };
        switch (what)
        {
            case "bad-regex": options.Rules.Add(new RoutingRule { SeriesDescriptionPattern = "([" }); break;
            case "bad-destination": options.Rules.Add(new RoutingRule { Destination = "archive" }); break;
            case "bad-method": options.Rules.Add(new RoutingRule { Method = "fdk" }); break;
            case "bad-attempts": options.MaxAttempts = 0; break;
            case "bad-changes": options.Discovery.Mode = DiscoveryMode.OrthancChanges; break;
        }

        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(reason, e.Message);
    }
}
