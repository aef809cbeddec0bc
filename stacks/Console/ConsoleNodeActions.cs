using Fleet.Stacks.Scaling;

namespace Fleet.Stacks.Console;

/// <summary>
/// The console's node and autoscaler actions, each read strictly and handed to <see cref="PoolActions"/> with source
/// <c>console</c>: drain a node (<c>{"stack","pool","node"}</c>), replace a node (same body), pause or resume the
/// autoscaler of a pool (<c>{"stack","pool","paused"}</c>).
/// </summary>
public sealed class ConsoleNodeActions(PoolActions actions)
{
    public const string NodeExample = """{"stack": "prod", "pool": "burst", "node": "fleet-prod-burst-a1"}""";
    public const string AutoscaleExample = """{"stack": "prod", "pool": "burst", "paused": true}""";

    /// <summary><c>POST /console/api/drain</c>: see <see cref="PoolActions.Drain"/>.</summary>
    public ActionOutcome<OperationAccepted> Drain(ReadOnlyMemory<byte> body, string? requestId) =>
        Node(body, requestId, (stack, pool, node, key) => actions.Drain(stack, pool, node, ConsoleScaleAction.Source, key));

    /// <summary><c>POST /console/api/replace</c>: see <see cref="PoolActions.Replace"/>.</summary>
    public ActionOutcome<OperationAccepted> Replace(ReadOnlyMemory<byte> body, string? requestId) =>
        Node(body, requestId, (stack, pool, node, key) => actions.Replace(stack, pool, node, ConsoleScaleAction.Source, key));

    /// <summary><c>POST /console/api/autoscale</c>: see <see cref="PoolActions.Autoscale"/>.</summary>
    public ActionOutcome<OperationAccepted> Autoscale(ReadOnlyMemory<byte> body, string? requestId)
    {
        if (ConsoleBodyReader.Read(body, AutoscaleExample, ["stack", "pool"], ["paused"], out var bad) is not { } values)
            return ActionOutcome<OperationAccepted>.Refused(400, "invalid_body", bad.Message, bad.Field);
        if (ConsoleRequestId.Refusal(requestId) is { } refused) return ActionOutcome<OperationAccepted>.Refused(refused);
        return actions.Autoscale((string)values["stack"], (string)values["pool"], (bool)values["paused"], ConsoleScaleAction.Source, ConsoleRequestId.Key(requestId));
    }

    private static ActionOutcome<OperationAccepted> Node(ReadOnlyMemory<byte> body, string? requestId, Func<string, string, string, string?, ActionOutcome<OperationAccepted>> act)
    {
        if (ConsoleBodyReader.Read(body, NodeExample, ["stack", "pool", "node"], [], out var bad) is not { } values)
            return ActionOutcome<OperationAccepted>.Refused(400, "invalid_body", bad.Message, bad.Field);
        if (ConsoleRequestId.Refusal(requestId) is { } refused) return ActionOutcome<OperationAccepted>.Refused(refused);
        return act((string)values["stack"], (string)values["pool"], (string)values["node"], ConsoleRequestId.Key(requestId));
    }
}
