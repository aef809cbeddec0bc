using Fleet.Stacks.Persistence;

namespace Fleet.Stacks.Hosting;

/// <summary><c>GET /v1/stacks/{stack}</c>: desired versus configured versus deployed, per pool.</summary>
/// <param name="UpOwed">Why an <c>up</c> is owed (the file was edited, or an <c>up</c> did not finish), or null.</param>
public sealed record StackView(string Stack, IReadOnlyList<PoolView> Pools, int PendingOperations, RunRecord? LastRun, string? UpOwed = null);
