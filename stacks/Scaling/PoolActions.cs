using Fleet.Infra.Configuration;
using Fleet.Stacks.Hosting;
using Fleet.Stacks.Observability;
using Fleet.Stacks.Persistence;
using Microsoft.Extensions.Logging;

namespace Fleet.Stacks.Scaling;

/// <summary>
/// The one path every change request takes, whoever sends it (<c>POST /v1/scale</c>, the console): the stack must be
/// served, its file readable, the pool known and managed; the operation is committed with the desired state, then the
/// stack's writer is woken, which coalesces, guards and applies it like any other. Pulumi never runs here.
/// </summary>
public sealed class PoolActions(StackCoordinator coordinator, StackConfigLoader configs, OperationStore store, StacksOptions options,
    StacksMetrics metrics, ILogger<PoolActions> log)
{
    /// <summary>The pool, or why it cannot be changed: unknown stack or pool (404), unreadable stack file (503), fixed count (422).</summary>
    public ActionOutcome<ManagedPool> Find(string stack, string pool)
    {
        if (!coordinator.Serves(stack))
            return ActionOutcome<ManagedPool>.Refused(404, "unknown_stack", $"stack \"{stack}\" is not served by this instance; it serves: {string.Join(", ", coordinator.Stacks)} (FLEET_STACKS)", "stack");
        FleetConfig config;
        try { config = configs.Load(stack, lastGoodOnError: true); }
        catch (Exception e) when (e is InvalidOperationException or ConfigSourceException or IOException)
        {
            return ActionOutcome<ManagedPool>.Refused(503, "stack_config_invalid", e.Message);
        }
        var index = config.Pools.ToList().FindIndex(p => p.Name == pool);
        if (index < 0)
            return ActionOutcome<ManagedPool>.Refused(404, "unknown_pool", $"stack {stack} has no pool \"{pool}\"; its pools: {string.Join(", ", config.Pools.Select(p => p.Name))}", "pool");
        var found = new ManagedPool(stack, config, config.Pools[index], index);
        if (!found.Pool.ListsNodes)
            return ActionOutcome<ManagedPool>.Refused(422, "pool_not_managed",
                $"pool {pool} has a fixed count; to let the control service scale it, replace count with nodes: pulumi config set --path '{found.Path("nodes[0]")}' 1 (and remove count)", "pool");
        return ActionOutcome<ManagedPool>.Of(found);
    }

    /// <summary>Scale a pool to <paramref name="nodes"/>, clamped to its min and max; a known <paramref name="requestKey"/> returns the first operation.</summary>
    public ActionOutcome<ScaleAccepted> Scale(string stack, string pool, int nodes, string source, string? requestKey)
    {
        var lookup = Find(stack, pool);
        if (lookup.Accepted is not { } found) return ActionOutcome<ScaleAccepted>.Refused(lookup.Refusal!);
        var (min, max) = (found.Pool.Min, found.Pool.Max);
        var target = Math.Clamp(nodes, min, max);
        var reason = target != nodes ? $"requested {nodes}, clamped to [{min}, {max}]" : null;
        var (op, duplicate) = store.AcceptScale(new ScaleIntent(stack, pool, source, nodes, target, reason), requestKey);
        if (!duplicate) Accepted(op, target);
        return ActionOutcome<ScaleAccepted>.Of(new ScaleAccepted(op.Id, op.Stack, op.Pool, op.Requested ?? nodes, op.Target ?? target, op.Target != op.Requested,
            min, max, duplicate, Status(op)));
    }

    /// <summary>
    /// Remove <paramref name="node"/> (the gateway's name for it, or its id in the stack file): the pool one smaller with
    /// that node as the victim, drained through the gateway before its id is removed. Refused below the pool's min.
    /// </summary>
    public ActionOutcome<OperationAccepted> Drain(string stack, string pool, string node, string source, string? requestKey)
    {
        if (Repeat(requestKey) is { } repeat) return repeat;
        var lookup = Resolve(stack, pool, node);
        if (lookup.Accepted is not { } found) return ActionOutcome<OperationAccepted>.Refused(lookup.Refusal!);
        var (managed, id) = found;
        var name = options.NodeName(stack, pool, id);
        var result = store.AcceptDrain(new NodeIntent(stack, pool, id, source, $"drain {name}: pool {pool} one smaller with this node removed"),
            managed.Pool.NodeIds.Count, managed.Pool.Min, requestKey);
        if (result.Busy is { } replacing)
            return ActionOutcome<OperationAccepted>.Refused(409, "node_busy",
                $"{name} is being replaced by operation {replacing.Id} (GET {Status(replacing)}); drain it once that has finished: the replacement removes it and leaves its new node", "node");
        if (result.Operation is not { } op)
            return ActionOutcome<OperationAccepted>.Refused(422, "below_min",
                $"draining {name} would leave pool {pool} {result.Size - 1} node(s), below its min {managed.Pool.Min}; replace the node instead, or lower the min: pulumi config set --path '{managed.Path("min")}' {result.Size - 1}", "node");
        if (!result.Duplicate) Accepted(op, op.Target);
        return ActionOutcome<OperationAccepted>.Of(new OperationAccepted(op.Id, op.Kind, stack, pool, name, op.Target, result.Duplicate, Status(op)));
    }

    /// <summary>Replace <paramref name="node"/> new-first: a new node is added, and once it is ready the old one is drained and removed.</summary>
    public ActionOutcome<OperationAccepted> Replace(string stack, string pool, string node, string source, string? requestKey)
    {
        if (Repeat(requestKey) is { } repeat) return repeat;
        var lookup = Resolve(stack, pool, node);
        if (lookup.Accepted is not { } found) return ActionOutcome<OperationAccepted>.Refused(lookup.Refusal!);
        var name = options.NodeName(stack, pool, found.Id);
        var (recorded, duplicate, draining) = store.AcceptNodeReplace(new NodeIntent(stack, pool, found.Id, source, $"replace {name}: a new node first, then this one drained and removed"), requestKey);
        if (recorded is not { } op)
            return ActionOutcome<OperationAccepted>.Refused(409, "node_busy",
                $"{name} is being drained by operation {draining!.Id} (GET {Status(draining)}) and leaves the pool when it finishes; to keep the pool's size, scale it back up then", "node");
        if (!duplicate) Accepted(op, null);
        return ActionOutcome<OperationAccepted>.Of(new OperationAccepted(op.Id, op.Kind, stack, pool, name, null, duplicate, Status(op)));
    }

    /// <summary>Pause (or resume) the autoscaler for a pool whose stack file turns it on; kept in the database across restarts.</summary>
    public ActionOutcome<OperationAccepted> Autoscale(string stack, string pool, bool paused, string source, string? requestKey)
    {
        if (Repeat(requestKey) is { } repeat) return repeat;
        var lookup = Find(stack, pool);
        if (lookup.Accepted is not { } found) return ActionOutcome<OperationAccepted>.Refused(lookup.Refusal!);
        if (!found.Pool.Autoscale)
            return ActionOutcome<OperationAccepted>.Refused(422, "autoscale_off",
                $"pool {pool} has autoscale off in its stack file, so there is no autoscaler to {(paused ? "pause" : "resume")}; turn it on with: pulumi config set --path '{found.Path("autoscale")}' true", "pool");
        var (op, duplicate) = store.SetAutoscalePaused(stack, pool, paused, source, requestKey);
        if (!duplicate) Log.Accepted(log, op.Kind, op.Id, stack, pool, null, null, source);
        return ActionOutcome<OperationAccepted>.Of(new OperationAccepted(op.Id, op.Kind, stack, pool, null, null, duplicate, Status(op)));
    }

    /// <summary>The node's id in the pool from its gateway name or id; 404 when the stack has no such node, 422 when it is another pool's.</summary>
    private ActionOutcome<NodeRef> Resolve(string stack, string pool, string node)
    {
        var lookup = Find(stack, pool);
        if (lookup.Accepted is not { } found) return ActionOutcome<NodeRef>.Refused(lookup.Refusal!);
        string? IdIn(PoolConfig p) => p.NodeIds.FirstOrDefault(id => id == node || options.NodeName(stack, p.Name, id) == node);
        if (IdIn(found.Pool) is { } id) return ActionOutcome<NodeRef>.Of(new NodeRef(found, id));
        if (found.Config.Pools.FirstOrDefault(p => p.ListsNodes && p.Name != pool && IdIn(p) is not null) is { } other)
            return ActionOutcome<NodeRef>.Refused(422, "node_in_other_pool", $"node {node} is in pool {other.Name} of stack {stack}, not in {pool}; send \"pool\": \"{other.Name}\"", "node");
        var names = found.Pool.NodeIds.Select(i => options.NodeName(stack, pool, i)).ToArray();
        return ActionOutcome<NodeRef>.Refused(404, "unknown_node",
            $"pool {pool} of stack {stack} has no node \"{node}\"; its nodes: {(names.Length == 0 ? "none" : string.Join(", ", names))}", "node");
    }

    /// <summary>
    /// A request id seen before is answered with its first operation before anything else is checked: a retry after the
    /// drain or replace finished must not be told the node it removed is unknown.
    /// </summary>
    private ActionOutcome<OperationAccepted>? Repeat(string? requestKey) =>
        requestKey is not null && store.ByRequestKey(requestKey) is { } op
            ? ActionOutcome<OperationAccepted>.Of(new OperationAccepted(op.Id, op.Kind, op.Stack, op.Pool,
                op.Node is { } id ? options.NodeName(op.Stack, op.Pool, id) : null, op.Target, true, Status(op)))
            : null;

    private void Accepted(OperationRecord op, int? target)
    {
        coordinator.Wake(op.Stack);
        if (target is { } t) metrics.DesiredNodes.WithLabels(op.Stack, op.Pool).Set(t);
        Log.Accepted(log, op.Kind, op.Id, op.Stack, op.Pool, target, op.Requested, op.Source);
    }

    private static string Status(OperationRecord op) => $"/v1/operations/{op.Id}";

    private sealed record NodeRef(ManagedPool Pool, string Id);
}
