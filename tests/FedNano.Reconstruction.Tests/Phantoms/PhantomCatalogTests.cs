using FedNano.Reconstruction.Phantoms;
using FedNano.Reconstruction.Volumes;

namespace FedNano.Reconstruction.Tests.Phantoms;

public class PhantomCatalogTests
{
    [Fact]
    public void Catalog_lists_chest_head_and_shepp_logan()
    {
        Assert.Equal(["chest", "head", "shepp-logan"], PhantomCatalog.Names);
    }

    [Theory]
    [InlineData("chest")]
    [InlineData("head")]
    [InlineData("shepp-logan")]
    [InlineData(" Shepp-Logan ")]
    public void Each_name_gives_a_generator_that_reports_it(string name)
    {
        IPhantomGenerator generator = PhantomCatalog.Get(name);
        Assert.Equal(name.Trim().ToLowerInvariant(), generator.Name);
        PhantomCase c = generator.Generate(new VolumeGrid(15, 13, 1, 30, 1, 0), 1);
        Assert.Equal(generator.Name, c.Findings.Phantom);
        Assert.Equal(1, c.Findings.Seed);
    }

    [Fact]
    public void Unknown_name_is_rejected_listing_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => PhantomCatalog.Get("abdomen"));
        Assert.Contains("abdomen", e.Message);
        foreach (string known in PhantomCatalog.Names)
        {
            Assert.Contains(known, e.Message);
        }
        Assert.Throws<ArgumentNullException>(() => PhantomCatalog.Get(null!));
    }
}
