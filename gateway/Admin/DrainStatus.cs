namespace Fleet.Gateway.Admin;

/// <summary>
/// The answer of <c>drain</c>/<c>undrain</c> (and of polling them again): <c>drained</c> is true once no request the
/// gateway sent is in flight there and the node's last heartbeat showed no busy slot or queued request (or the node is
/// dead). <c>remaining</c> is the larger of the two counts.
/// </summary>
public sealed record DrainStatus(
    string Node,
    string State,
    bool DrainRequested,
    bool Drained,
    int Remaining,
    int InFlight,
    int AgentBusy,
    int AgentQueueDepth);
