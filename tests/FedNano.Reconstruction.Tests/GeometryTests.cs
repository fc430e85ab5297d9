using FedNano.Reconstruction;

namespace FedNano.Reconstruction.Tests;

public class GeometryTests
{
    [Fact]
    public void Siemens64_derived_values_match_reference()
    {
        var g = GeometryPresets.Get("siemens-64").Geometry;
        Assert.Equal(1.18441e-3, g.FanAngleIncrementRad, 1e-8);
        Assert.Equal(0.436, g.FanHalfAngleRad, 1e-3);
        Assert.InRange(g.FieldOfViewDiameterMm, 495, 505);
        Assert.Equal(0.6, g.RowSpacingMm * g.SourceToIsocenterMm / g.SourceToDetectorMm, 1e-3);
        Assert.Equal(64 * 0.6, g.CollimationAtIsocenterMm, 0.05);
        Assert.Equal(g.PitchFactor * g.CollimationAtIsocenterMm, g.TableFeedPerRotationMm, 1e-12);
        Assert.Equal(1152, g.ViewsPerRotation);
        Assert.Equal(369.625, g.CentralChannel);
        Assert.Equal(32.5, g.CentralRow);
    }

    [Fact]
    public void Small_preset_has_same_fan_angle_as_siemens()
    {
        var s = GeometryPresets.Get("siemens-64").Geometry;
        var g = GeometryPresets.Get("small").Geometry;
        Assert.Equal(368, g.Channels);
        Assert.Equal(16, g.Rows);
        Assert.Equal(576, g.ViewsPerRotation);
        Assert.Equal(184.75, g.CentralChannel);
        Assert.Equal(s.FanHalfAngleRad, g.FanHalfAngleRad, 1e-12);
        Assert.True(GeometryPresets.Get("small").RowPattern.IsDense);
        Assert.False(GeometryPresets.Get("small-sparse").RowPattern.IsDense);
    }

    [Fact]
    public void View_and_element_positions()
    {
        var g = GeometryPresets.Get("small").Geometry;
        Assert.Equal(0.0, g.SourceAngleRad(0), 12);
        Assert.Equal(2 * Math.PI, g.SourceAngleRad(g.ViewsPerRotation), 12);
        Assert.Equal(g.TableFeedPerRotationMm, g.SourceZMm(g.ViewsPerRotation), 12);
        Assert.Equal(0.0, g.ChannelAngleRad(g.CentralChannel - 1), 12);
        Assert.Equal(g.FanAngleIncrementRad, g.ChannelAngleRad(g.CentralChannel), 12);
        Assert.Equal(-g.RowOffsetMm(0), g.RowOffsetMm(g.Rows - 1), 12);
        Assert.Equal(0.5 * g.RowSpacingMm, g.RowOffsetMm(8), 12);
    }

    [Fact]
    public void Flat_detector_angles_use_atan()
    {
        var g = new HelicalGeometry(500, 1000, DetectorShape.Flat, 101, 1.0, 4, 1.0, 51, 2.5, 100, 1.0);
        Assert.Equal(Math.Atan(10.0 / 1000), g.ChannelAngleRad(60), 12);
        Assert.Equal(Math.Atan(50.5 / 1000), g.FanHalfAngleRad, 12);
    }

    [Theory]
    [InlineData(-595.0, 1085.6, 736, 1152, 1.0, "sourceToIsocenterMm")]
    [InlineData(595.0, 500.0, 736, 1152, 1.0, "sourceToDetectorMm")]
    [InlineData(595.0, 1085.6, 0, 1152, 1.0, "channels")]
    [InlineData(595.0, 1085.6, 736, 1, 1.0, "viewsPerRotation")]
    [InlineData(595.0, 1085.6, 736, 1152, 10.0, "pitchFactor")]
    [InlineData(595.0, 1085.6, 736, 1152, double.NaN, "pitchFactor")]
    [InlineData(595.0, 1085.6, 5000, 1152, 1.0, "channels")]
    public void Absurd_values_are_rejected(double r, double d, int channels, int views, double pitch, string param)
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new HelicalGeometry(r, d, DetectorShape.Curved, channels, 1.2858, 64, 1.0947, Math.Min(channels, 369.625), 32.5, views, pitch));
        Assert.Equal(param, ex.ParamName);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void Unknown_preset_names_the_known_ones()
    {
        var ex = Assert.Throws<ArgumentException>(() => GeometryPresets.Get("ge-lightspeed"));
        Assert.Contains("siemens-64", ex.Message, StringComparison.Ordinal);
    }
}
