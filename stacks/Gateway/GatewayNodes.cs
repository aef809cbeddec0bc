namespace Fleet.Stacks.Gateway;

/// <summary><c>GET /admin/v1/nodes</c>.</summary>
public sealed record GatewayNodes(bool PartitionGuard, IReadOnlyList<GatewayNode> Nodes);
