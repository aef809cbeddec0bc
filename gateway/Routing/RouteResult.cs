namespace Fleet.Gateway.Routing;

/// <summary>The outcome of asking for a node: a lease, or why there is none.</summary>
public readonly record struct RouteResult(NodeLease? Lease, RouteFailure Failure);
