namespace Fleet.Agent.Heartbeats;

/// <summary>
/// Delay before the next try while the gateway is away: exponential from <see cref="Base"/> up to <see cref="Cap"/>,
/// with "equal jitter" (half fixed, half random) so a fleet that lost its gateway does not come back in lockstep.
/// </summary>
public sealed class HeartbeatBackoff(Random random)
{
    public static readonly TimeSpan Base = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(60);

    /// <summary>The ceiling for the <paramref name="failures"/>-th consecutive failure (1-based), before jitter.</summary>
    public static TimeSpan Ceiling(int failures) =>
        TimeSpan.FromTicks((long)Math.Min(Cap.Ticks, Base.Ticks * Math.Pow(2, Math.Clamp(failures - 1, 0, 30))));

    /// <summary>A delay in [ceiling/2, ceiling].</summary>
    public TimeSpan Next(int failures)
    {
        var ceiling = Ceiling(failures);
        return ceiling / 2 + ceiling / 2 * random.NextDouble();
    }
}
