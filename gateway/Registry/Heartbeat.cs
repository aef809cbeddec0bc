namespace Fleet.Gateway.Registry;

/// <summary>One heartbeat as an agent sends it (shared/DESIGN.md §5). Field names are the wire contract.</summary>
public sealed record Heartbeat(
    string Node,
    string Pool,
    string? Version,
    long Sequence,
    string State,
    string Endpoint,
    HeartbeatModel? Model,
    string? Backend,
    IReadOnlyList<HeartbeatGpu>? Gpus,
    HeartbeatSlots? Slots,
    HeartbeatQueue? Queue,
    double TokensPerSecond,
    double TtftP95Ms);

/// <summary>The model a node serves: <c>model{id, sha256, loaded}</c>.</summary>
public sealed record HeartbeatModel(string Id, string? Sha256, bool Loaded);

/// <summary>One GPU as the agent sees it.</summary>
public sealed record HeartbeatGpu(string Name, long MemoryTotalMiB, long MemoryUsedMiB, double UtilizationPercent);

/// <summary>Parallel decode slots: <c>slots{total, busy}</c>.</summary>
public sealed record HeartbeatSlots(int Total, int Busy);

/// <summary>Requests waiting in the agent's own queue: <c>queue{depth}</c>.</summary>
public sealed record HeartbeatQueue(int Depth);
