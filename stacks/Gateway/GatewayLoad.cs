namespace Fleet.Stacks.Gateway;

/// <summary>
/// <c>GET /admin/v1/load</c>. <paramref name="Held"/> and <paramref name="Models"/> came later (scale from zero): an
/// older gateway sends neither, read as 0 and empty. <paramref name="RequestsForwarded"/> (the console's throughput) is a
/// counter of requests the gateway forwarded to nodes since it started; an older gateway sends none, read as 0.
/// </summary>
public sealed record GatewayLoad(int ReadyNodes, int Nodes, int QueueDepth, bool PartitionGuard, IReadOnlyList<GatewayPoolLoad> Pools,
    int Held = 0, IReadOnlyList<GatewayModelLoad>? Models = null, long RequestsForwarded = 0);
