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
