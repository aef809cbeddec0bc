using Fleet.Stacks.Gateway;

namespace Fleet.Stacks.Console;

/// <summary>The gateway's admin view in <see cref="ConsoleState"/>: load and nodes as the service reads them, or why not.</summary>
/// <param name="Configured">False when <c>FLEET_GATEWAY_URL</c> is not set (no load, nodes, drains).</param>
public sealed record ConsoleGateway(bool Configured, GatewayLoad? Load, GatewayNodes? Nodes, string? Error);
