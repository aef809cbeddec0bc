namespace Fleet.Gateway.Admin;

/// <summary>
/// One node in <c>GET /admin/v1/nodes</c>: the gateway's view (state, in-flight) and the node's last report.
/// <c>registeredAt</c> (added for the console's node age) is the first heartbeat of the node's current registration:
/// its first heartbeat at this gateway, or its agent's first after a restart.
/// </summary>
public sealed record NodeView(
    string Node,
    string Pool,
    string State,
    string? Endpoint,
    string? Model,
    string? ModelSha256,
    bool ModelLoaded,
    string? Backend,
    string? Version,
    long Sequence,
    DateTimeOffset LastSeen,
    double SilenceSeconds,
    int SlotsTotal,
    int SlotsBusy,
    int QueueDepth,
    int InFlight,
    double TokensPerSecond,
    double TtftP95Ms,
    bool DrainRequested,
    IReadOnlyList<Registry.HeartbeatGpu> Gpus,
    DateTimeOffset? RegisteredAt = null);
