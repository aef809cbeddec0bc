namespace Fleet.Gateway.Admin;

/// <summary>One pool's load. <c>ttftP95Ms</c> is the highest p95 its ready nodes report (p95s cannot be merged exactly).</summary>
public sealed record PoolLoad(
    string Pool,
    int ReadyNodes,
    int Nodes,
    int SlotsTotal,
    int SlotsBusy,
    int QueueDepth,
    int InFlight,
    double TtftP95Ms,
    double TokensPerSecond);
