namespace Fleet.Agent.Heartbeats;

/// <summary><c>queue{depth}</c>.</summary>
public sealed record HeartbeatQueue(int Depth);
