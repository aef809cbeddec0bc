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

/// <summary><c>model{id, sha256, loaded}</c>; sha256 is null when the file was given by path without a hash.</summary>
public sealed record HeartbeatModel(string Id, string? Sha256, bool Loaded);

/// <summary><c>slots{total, busy}</c>.</summary>
public sealed record HeartbeatSlots(int Total, int Busy);

/// <summary><c>queue{depth}</c>.</summary>
public sealed record HeartbeatQueue(int Depth);

/// <summary>The gateway's reply: when to beat next, and whether this node must drain.</summary>
public sealed record HeartbeatReply(int? IntervalSeconds, bool? Drain);
