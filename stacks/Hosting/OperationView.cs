using Fleet.Stacks.Persistence;

namespace Fleet.Stacks.Hosting;

/// <summary><c>GET /v1/operations/{id}</c>: the operation and the run that applied it.</summary>
public sealed record OperationView(OperationRecord Operation, RunRecord? Run);
