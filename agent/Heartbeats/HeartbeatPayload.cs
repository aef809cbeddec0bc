using Fleet.Agent.Gpu;

namespace Fleet.Agent.Heartbeats;

/// <summary>The heartbeat body, field for field as shared/DESIGN.md §5 (camelCase on the wire).</summary>
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
    double TtftP95Ms);
