namespace Fleet.Stacks.Scaling;

/// <summary>
/// 202 answer of a node or autoscaler action: the operation to follow (<c>status</c>), the node it names (the gateway's
/// name), the pool's new desired size for a drain, and whether a pending operation or a repeated request id answered.
/// </summary>
public sealed record OperationAccepted(string OperationId, string Kind, string Stack, string Pool, string? Node, int? Target, bool Duplicate, string Status);
