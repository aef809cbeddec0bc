namespace Fleet.Gateway.Registry;

/// <summary>Parallel decode slots: <c>slots{total, busy}</c>.</summary>
public sealed record HeartbeatSlots(int Total, int Busy);
