namespace Fleet.Gateway.Admin;

/// <summary>One pool's load. <c>ttftP95Ms</c> is the highest p95 its ready nodes report (p95s cannot be merged exactly).</summary>
public sealed record PoolLoad(
    string Pool,
    int ReadyNodes,
    int Nodes,
    long SlotsTotal,
    long SlotsBusy,
    long QueueDepth,
    long InFlight,
    double TtftP95Ms,
    double TokensPerSecond);
