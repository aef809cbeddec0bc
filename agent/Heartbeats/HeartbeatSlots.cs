namespace Fleet.Agent.Heartbeats;

/// <summary><c>slots{total, busy}</c>.</summary>
public sealed record HeartbeatSlots(int Total, int Busy);
