namespace Fleet.Stacks.Gateway;

/// <summary>One GPU of a node, from its last heartbeat (gateway <c>HeartbeatGpu</c>).</summary>
public sealed record GatewayGpu(string Name, long MemoryTotalMiB, long MemoryUsedMiB, double UtilizationPercent);
