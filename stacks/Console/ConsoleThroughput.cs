namespace Fleet.Stacks.Console;

/// <summary>The fleet's throughput over the last hour, oldest first, sampled every <paramref name="IntervalSeconds"/>; empty without a gateway.</summary>
public sealed record ConsoleThroughput(double IntervalSeconds, IReadOnlyList<ThroughputPoint> Points);
