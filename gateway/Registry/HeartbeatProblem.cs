namespace Fleet.Gateway.Registry;

/// <summary>Why a heartbeat is refused: the field (as on the wire, e.g. <c>slots.total</c>) and what is wrong with it.</summary>
public sealed record HeartbeatProblem(string Field, string Message);
