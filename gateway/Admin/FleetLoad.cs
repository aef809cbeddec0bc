namespace Fleet.Gateway.Admin;

/// <summary>
/// <c>GET /admin/v1/load</c>: the fleet summary the autoscaler reads. Slots count ready nodes only; busy slots are the
/// gateway's live estimate (its own in-flight requests plus load the node reported from elsewhere). <c>held</c> (a
/// subset of <c>waiting</c>) and <c>models</c> were added for scale from zero; the earlier fields keep their meaning.
/// <c>requestsForwarded</c> (added for the console's throughput history) counts requests forwarded to nodes and finished
/// since the gateway started: a counter, set back to zero only by a gateway restart.
/// </summary>
public sealed record FleetLoad(
    int ReadyNodes,
    int Nodes,
    long SlotsTotal,
    long SlotsBusy,
    long QueueDepth,
    long InFlight,
    int Waiting,
    bool PartitionGuard,
    IReadOnlyList<PoolLoad> Pools,
    int Held = 0,
    IReadOnlyList<ModelLoad>? Models = null,
    long RequestsForwarded = 0);
