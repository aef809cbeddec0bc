namespace Fleet.Gateway.Registry;

/// <summary>The gateway's answer to a heartbeat: when to beat next, and whether the node must drain.</summary>
public sealed record HeartbeatReply(int IntervalSeconds, bool Drain);
