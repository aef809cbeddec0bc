namespace Fleet.Gateway.Registry;

/// <summary>One GPU as the agent sees it.</summary>
public sealed record HeartbeatGpu(string Name, long MemoryTotalMiB, long MemoryUsedMiB, double UtilizationPercent);
