using Fleet.Stacks.Hosting;
using Fleet.Stacks.Scaling;
using Fleet.Stacks.Webhooks;

namespace Fleet.Stacks.Console;

/// <summary>
/// A console "scale pool to N": the body is read by the webhook's strict <see cref="ScaleRequestReader"/> and the request
/// takes the webhook's own path, <see cref="PoolActions.Scale"/> (same checks, clamp, record, wake), with source
/// <c>console</c>; the writer then coalesces and guards it like any other.
/// </summary>
public sealed class ConsoleScaleAction(PoolActions actions)
{
    public const string Source = "console";

    /// <summary>The accepted operation, or why not.</summary>
    /// <param name="requestId">The page's id for this submission: a repeat (double click, retry) returns the first operation.</param>
    public ActionOutcome<ScaleAccepted> Accept(ReadOnlyMemory<byte> body, string? requestId)
    {
        if (ScaleRequestReader.Read(body, out var bad) is not { Stack: { } stack, Pool: { } pool, Nodes: { } nodes })
            return ActionOutcome<ScaleAccepted>.Refused(400, "invalid_body", bad.Message, bad.Field);
        if (ConsoleRequestId.Refusal(requestId) is { } refused) return ActionOutcome<ScaleAccepted>.Refused(refused);
        return actions.Scale(stack, pool, nodes, Source, ConsoleRequestId.Key(requestId));
    }
}
