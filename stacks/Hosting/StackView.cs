using Fleet.Stacks.Persistence;

namespace Fleet.Stacks.Hosting;

/// <summary><c>GET /v1/stacks/{stack}</c>: desired versus configured versus deployed, per pool.</summary>
public sealed record StackView(string Stack, IReadOnlyList<PoolView> Pools, int PendingOperations, RunRecord? LastRun);
