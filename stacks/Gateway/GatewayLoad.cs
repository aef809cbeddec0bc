namespace Fleet.Stacks.Gateway;

/// <summary><c>GET /admin/v1/load</c>.</summary>
public sealed record GatewayLoad(int ReadyNodes, int Nodes, int QueueDepth, bool PartitionGuard, IReadOnlyList<GatewayPoolLoad> Pools);
