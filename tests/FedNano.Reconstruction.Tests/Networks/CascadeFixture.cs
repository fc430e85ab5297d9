using FedNano.Reconstruction.Torch;
using TorchSharp;

namespace FedNano.Reconstruction.Tests.Networks;

/// <summary>
/// Process-wide torch start-up for the network tests. The
/// network test classes share one collection so they do not run in parallel with each other: each seeds torch's
/// global generator before building a model, and two cores are better spent on one training loop at a time.
/// </summary>
public sealed class CascadeFixture
{
    public CascadeFixture()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(20240611);
    }
}

[CollectionDefinition(Name)]
public sealed class CascadeCollection : ICollectionFixture<CascadeFixture>
{
    public const string Name = "networks";
}
