namespace Fleet.Gateway.Admin;

/// <summary><c>GET /admin/v1/nodes</c>: every node the gateway knows, sorted by name.</summary>
public sealed record NodeList(bool PartitionGuard, IReadOnlyList<NodeView> Nodes);
