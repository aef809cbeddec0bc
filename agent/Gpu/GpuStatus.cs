namespace Fleet.Agent.Gpu;

/// <summary>One GPU as NVML reports it (heartbeat <c>gpus[]</c>).</summary>
public sealed record GpuStatus(string Name, long MemoryTotalMiB, long MemoryUsedMiB, int UtilizationPercent);
