namespace FedNano.DicomService.Federation;

/// <summary>
/// The operator's command line for sites: <c>sites add ID [NAME]</c> (prints the credential once),
/// <c>sites revoke ID</c>, <c>sites list</c>. Runs against the same registry file the service reads.
/// </summary>
public static class SitesCommand
{
    /// <summary>Runs <paramref name="args"/> (starting with "sites"); returns the process exit code.</summary>
    public static int Run(string[] args, string registryPath, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var registry = new SiteRegistry(registryPath);
            switch (args.Skip(1).FirstOrDefault())
            {
                case "add" when args.Length is 3 or 4:
                    var credential = registry.Create(args[2], args.Length == 4 ? args[3] : null);
                    output.WriteLine($"Site '{args[2]}' created. Its credential (shown only now; give it to the site agent as its Credential):");
                    output.WriteLine(credential);
                    return 0;
                case "revoke" when args.Length == 3:
                    registry.Revoke(args[2]);
                    output.WriteLine($"Site '{args[2]}' revoked.");
                    return 0;
                case "list" when args.Length == 2:
                    foreach (var s in registry.Sites)
                        output.WriteLine($"{s.Id}\t{s.DisplayName}\tcreated {s.CreatedUtc:u}\t{(s.RevokedUtc is { } r ? $"revoked {r:u}" : "active")}");
                    return 0;
                default:
                    error.WriteLine("Usage: sites add ID [NAME] | sites revoke ID | sites list   (registry: Federation:SitesFile under Storage:DataDirectory)");
                    return 2;
            }
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException or FormatException or IOException)
        {
            error.WriteLine(e.Message);
            return 1;
        }
    }
}
