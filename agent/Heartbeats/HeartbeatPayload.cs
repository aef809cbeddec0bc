using Fleet.Agent.Gpu;

namespace Fleet.Agent.Heartbeats;

/// <summary>
/// The heartbeat body, field for field as docs/architecture.md's heartbeat contract (camelCase on the wire).
/// <paramref name="Instance"/> is drawn once per process start: it lets the gateway accept the lower sequence of a
/// restarted agent at once, while refusing a replayed old beat of the same process.
/// </summary>
public sealed record HeartbeatPayload(
    string Node,
    string Pool,
    string Version,
    long Sequence,
    string State,
    string Endpoint,
    HeartbeatModel Model,
    string Backend,
    IReadOnlyList<GpuStatus> Gpus,
    HeartbeatSlots Slots,
    HeartbeatQueue Queue,
    double TokensPerSecond,
    double TtftP95Ms,
    string Instance);
