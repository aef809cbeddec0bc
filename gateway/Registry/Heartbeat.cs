namespace Fleet.Gateway.Registry;

/// <summary>
/// One heartbeat as an agent sends it (docs/architecture.md, heartbeat contract). Field names are the wire contract. <c>instance</c> is
/// optional: an id the agent draws once per process start, which makes a restart (a lower <c>sequence</c>) provable.
/// </summary>
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
    double TtftP95Ms,
    string? Instance = null);
