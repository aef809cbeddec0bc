namespace Fleet.Gateway.Credentials;

/// <summary>The node credentials file the stack writes (<c>FLEET_NODES_FILE</c>).</summary>
public sealed record NodesFile(IReadOnlyList<NodesFileEntry>? Nodes);

/// <summary>One node: <c>{node, pool, sha256}</c>, the hash of that node's own credential.</summary>
public sealed record NodesFileEntry(string? Node, string? Pool, string? Sha256);
