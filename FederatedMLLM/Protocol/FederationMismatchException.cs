namespace FedNano.FederatedMLLM.Protocol;

/// <summary>The site's settings do not match what the federation trains with (so its updates would be wrong, not merely rejected).</summary>
public sealed class FederationMismatchException(string message) : InvalidOperationException(message);
