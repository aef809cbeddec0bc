namespace Fleet.Gateway.Credentials;

/// <summary>The node credentials file the stack writes (<c>FLEET_NODES_FILE</c>).</summary>
public sealed record NodesFile(IReadOnlyList<NodesFileEntry>? Nodes);
