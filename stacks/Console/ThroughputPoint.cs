namespace Fleet.Stacks.Console;

/// <summary>
/// One sample of the fleet's throughput. <paramref name="RequestsPerSecond"/> is the gateway's request counter's increase
/// since the previous sample over the time between them; null for the first sample and after a gap (a missed sample).
/// <paramref name="TokensPerSecond"/> is the sum of the ready nodes' own decode throughput at that moment.
/// </summary>
public sealed record ThroughputPoint(DateTimeOffset At, double? RequestsPerSecond, double TokensPerSecond);
