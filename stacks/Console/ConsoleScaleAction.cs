using Fleet.Infra.Configuration;
using Fleet.Stacks.Hosting;
using Fleet.Stacks.Observability;
using Fleet.Stacks.Persistence;
using Fleet.Stacks.Scaling;
using Fleet.Stacks.Webhooks;

namespace Fleet.Stacks.Console;

/// <summary>
/// A console "scale pool to N": the body is read by the webhook's strict <see cref="ScaleRequestReader"/> and the operation
/// is recorded the way <c>POST /v1/scale</c> records one (same checks, clamp, <see cref="OperationStore.AcceptScale"/>, wake the
/// stack's writer), with source <c>console</c>; the writer then coalesces and guards it like any other.
/// </summary>
public sealed class ConsoleScaleAction(StackCoordinator coordinator, StackConfigLoader configs, OperationStore store, StacksMetrics metrics, ILogger<ConsoleScaleAction> log)
{
    public const string Source = "console";

    /// <summary>The accepted operation, or the status and error to answer.</summary>
    /// <param name="requestId">The page's id for this submission: a repeat (double click, retry) returns the first operation.</param>
    public (ScaleAccepted? Accepted, int Status, ApiError? Error) Accept(ReadOnlyMemory<byte> body, string? requestId)
    {
        if (ScaleRequestReader.Read(body, out var bad) is not { Stack: { } stack, Pool: { } poolName, Nodes: { } nodes })
            return (null, 400, new ApiError("invalid_body", bad.Message, bad.Field));
        if (requestId is not null && !IsRequestId(requestId))
            return (null, 400, new ApiError("invalid_request_id", "X-Fleet-Request-Id is 1–64 letters, digits or dashes (the page sends crypto.randomUUID())", "X-Fleet-Request-Id"));
        if (!coordinator.Serves(stack))
            return (null, 404, new ApiError("unknown_stack", $"stack \"{stack}\" is not served by this instance; it serves: {string.Join(", ", coordinator.Stacks)} (FLEET_STACKS)", "stack"));
        FleetConfig config;
        try { config = configs.Load(stack, lastGoodOnError: true); }
        catch (Exception e) when (e is InvalidOperationException or ConfigSourceException or IOException)
        {
            return (null, 503, new ApiError("stack_config_invalid", e.Message));
        }
        var pool = config.Pools.FirstOrDefault(p => p.Name == poolName);
        if (pool is null)
            return (null, 404, new ApiError("unknown_pool", $"stack {stack} has no pool \"{poolName}\"; its pools: {string.Join(", ", config.Pools.Select(p => p.Name))}", "pool"));
        if (!pool.ListsNodes)
            return (null, 422, new ApiError("pool_not_managed", $"pool {poolName} has a fixed count; the control service scales only pools that list their node ids (stacks/README.md)", "pool"));

        var target = Math.Clamp(nodes, pool.Min, pool.Max);
        var reason = target != nodes ? $"requested {nodes}, clamped to [{pool.Min}, {pool.Max}]" : null;
        var (op, duplicate) = store.AcceptScale(new ScaleIntent(stack, poolName, Source, nodes, target, reason), requestId is null ? null : $"console:{requestId}");
        if (!duplicate)
        {
            coordinator.Wake(stack);
            metrics.DesiredNodes.WithLabels(stack, poolName).Set(target);
            Log.Accepted(log, op.Kind, op.Id, stack, poolName, target, nodes, Source);
        }
        return (new ScaleAccepted(op.Id, op.Stack, op.Pool, op.Requested ?? nodes, op.Target ?? target, op.Target != op.Requested, pool.Min, pool.Max, duplicate, $"/v1/operations/{op.Id}"), 202, null);
    }

    private static bool IsRequestId(string id) => id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
