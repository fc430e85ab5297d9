using FedNano.DicomService.Federation;
using FedNano.Testing;

namespace FedNano.DicomService.Tests.Federation;

/// <summary>The operator issues, lists and revokes site credentials; the registry keeps only hashes.</summary>
public sealed class SiteRegistryTests : IDisposable
{
    private readonly TempDirectory _work = new("site-registry");

    public void Dispose() => _work.Dispose();

    private string RegistryFile => Path.Combine(_work.Path, "sites.json");

    [Fact]
    public void Sites_add_prints_a_credential_that_authenticates_and_is_not_stored_in_clear()
    {
        using var output = new StringWriter();
        Assert.Equal(0, SitesCommand.Run(["sites", "add", "royal-infirmary", "Royal Infirmary"], RegistryFile, output, TextWriter.Null));
        var credential = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];

        Assert.StartsWith("royal-infirmary.", credential);
        Assert.Equal(("royal-infirmary", (string?)null), new SiteRegistry(RegistryFile).Authenticate(credential));
        Assert.DoesNotContain(credential[(credential.IndexOf('.') + 1)..], File.ReadAllText(RegistryFile));
    }

    [Fact]
    public void Sites_list_shows_active_and_revoked_sites()
    {
        var registry = new SiteRegistry(RegistryFile);
        registry.Create("a");
        registry.Create("b");
        registry.Revoke("b");
        using var output = new StringWriter();
        Assert.Equal(0, SitesCommand.Run(["sites", "list"], RegistryFile, output, TextWriter.Null));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("active", lines[0]);
        Assert.Contains("revoked", lines[1]);
    }

    [Theory]
    [InlineData("bad id!")]
    [InlineData("")]
    public void A_malformed_site_id_is_refused(string id)
    {
        using var error = new StringWriter();
        Assert.Equal(1, SitesCommand.Run(["sites", "add", id], RegistryFile, TextWriter.Null, error));
        Assert.Contains("must be 1–64 letters", error.ToString());
        Assert.False(File.Exists(RegistryFile));
    }

    [Fact]
    public void A_duplicate_site_is_refused_and_the_first_credential_keeps_working()
    {
        var registry = new SiteRegistry(RegistryFile);
        var credential = registry.Create("a");
        Assert.Throws<ArgumentException>(() => registry.Create("a"));
        Assert.Equal("a", registry.Authenticate(credential).SiteId);
    }

    [Fact]
    public void A_corrupt_registry_file_is_refused_with_its_path()
    {
        File.WriteAllText(RegistryFile, "{ not json");
        var error = Assert.Throws<FormatException>(() => new SiteRegistry(RegistryFile));
        Assert.Contains(RegistryFile, error.Message);
    }
}
