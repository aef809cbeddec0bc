namespace Fleet.Stacks.Gateway;

/// <summary>The gateway admin API refused or failed a call.</summary>
public sealed class GatewayException(string message, Exception? inner = null) : Exception(message, inner);
