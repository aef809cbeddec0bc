namespace Fleet.Gateway.Registry;

/// <summary>Requests waiting in the agent's own queue: <c>queue{depth}</c>.</summary>
public sealed record HeartbeatQueue(int Depth);
