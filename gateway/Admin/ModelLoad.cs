namespace Fleet.Gateway.Admin;

/// <summary>
/// One model's load in <c>GET /admin/v1/load</c>: its nodes (not dead) and ready nodes, the ready nodes' slots, the
/// gateway's in-flight requests, and the demand waiting for it — <c>held</c> counts requests for a configured model
/// that no ready node serves (scale from zero: the autoscaler should start one), a subset of <c>waiting</c>.
/// </summary>
public sealed record ModelLoad(
    string Model,
    bool Configured,
    int ReadyNodes,
    int Nodes,
    long SlotsTotal,
    long SlotsBusy,
    long InFlight,
    int Waiting,
    int Held);
