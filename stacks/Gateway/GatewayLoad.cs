namespace Fleet.Stacks.Gateway;

/// <summary>
/// <c>GET /admin/v1/load</c>. <paramref name="Held"/> and <paramref name="Models"/> came later (scale from zero): an
/// older gateway sends neither, read as 0 and empty.
/// </summary>
public sealed record GatewayLoad(int ReadyNodes, int Nodes, int QueueDepth, bool PartitionGuard, IReadOnlyList<GatewayPoolLoad> Pools,
    int Held = 0, IReadOnlyList<GatewayModelLoad>? Models = null);
