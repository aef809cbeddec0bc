using Fleet.Stacks.Persistence;

namespace Fleet.Stacks.Hosting;

// The JSON documents of the service's HTTP API (camelCase). Small records kept together: they are one contract.

/// <summary><c>POST /v1/scale</c> body: a pool of a stack and its target node count.</summary>
public sealed record ScaleRequest(string? Stack, string? Pool, int? Nodes);

/// <summary>202 answer: the operation to poll; <c>target</c> is the request clamped to the pool's min/max.</summary>
public sealed record ScaleAccepted(string OperationId, string Stack, string Pool, int Requested, int Target, bool Clamped, int Min, int Max, bool Duplicate, string Status);

/// <summary>Every error answer: a code and a message that says what to fix.</summary>
public sealed record ApiError(string Code, string Message);

/// <summary><c>GET /v1/operations/{id}</c>: the operation and the run that applied it.</summary>
public sealed record OperationView(OperationRecord Operation, RunRecord? Run);

/// <summary><c>GET /v1/stacks/{stack}</c>: desired versus configured versus deployed, per pool.</summary>
public sealed record StackView(string Stack, IReadOnlyList<PoolView> Pools, int PendingOperations, RunRecord? LastRun);

/// <summary>One pool: <c>desired</c> (last accepted target, null if never scaled), <c>configured</c> ids (working copy), <c>deployed</c> ids (last <c>pools</c> output).</summary>
public sealed record PoolView(string Pool, bool Managed, bool Autoscale, int Min, int Max, int? Desired, IReadOnlyList<string> Configured, IReadOnlyList<string>? Deployed);

/// <summary><c>GET /health</c>.</summary>
public sealed record HealthView(string Status, IReadOnlyList<string> Stacks, string Database);
