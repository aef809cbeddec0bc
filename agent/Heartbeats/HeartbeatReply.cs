namespace Fleet.Agent.Heartbeats;

/// <summary>The gateway's reply: when to beat next, and whether this node must drain.</summary>
public sealed record HeartbeatReply(int? IntervalSeconds, bool? Drain);
