namespace Fleet.Gateway.Credentials;

/// <summary>One node: <c>{node, pool, sha256}</c>, the hash of that node's own credential.</summary>
public sealed record NodesFileEntry(string? Node, string? Pool, string? Sha256);
