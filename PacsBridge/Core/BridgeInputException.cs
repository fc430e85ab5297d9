namespace FedNano.PacsBridge;

/// <summary>A series the bridge cannot take through (refused instances, a failed reconstruction): it is dead-lettered with this message.</summary>
public sealed class BridgeInputException(string message) : Exception(message);
