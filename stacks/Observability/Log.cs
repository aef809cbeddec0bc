using Microsoft.Extensions.Logging;

namespace Fleet.Stacks.Observability;

/// <summary>Every log line the service writes ([LoggerMessage]: no boxing, no string building when filtered out).</summary>
public static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "accepted {Kind} {OperationId} for {Stack}/{Pool}: target {Target} (requested {Requested}, source {Source})")]
    public static partial void Accepted(ILogger logger, string kind, string operationId, string stack, string pool, int? target, int? requested, string source);

    [LoggerMessage(2, LogLevel.Warning, "refused webhook: {Reason}")]
    public static partial void WebhookRefused(ILogger logger, string reason);

    [LoggerMessage(3, LogLevel.Information, "run {RunId} on {Stack}: {Count} operation(s); {Plan}")]
    public static partial void RunStarted(ILogger logger, string runId, string stack, int count, string plan);

    [LoggerMessage(4, LogLevel.Information, "run {RunId} on {Stack} succeeded: {Summary}")]
    public static partial void RunSucceeded(ILogger logger, string runId, string stack, string summary);

    [LoggerMessage(5, LogLevel.Error, "run {RunId} on {Stack} failed: {Error}")]
    public static partial void RunFailed(ILogger logger, string runId, string stack, string error);

    [LoggerMessage(6, LogLevel.Warning, "{Stack}: another update holds the stack; retry {Attempt}/{Max} in {Delay}")]
    public static partial void ConflictRetry(ILogger logger, string stack, int attempt, int max, TimeSpan delay);

    [LoggerMessage(7, LogLevel.Information, "pulumi {Command}")]
    public static partial void Running(ILogger logger, string command);

    [LoggerMessage(8, LogLevel.Warning, "drain of {Node} timed out with {Remaining} request(s) left; removing it anyway")]
    public static partial void DrainTimedOut(ILogger logger, string node, int remaining);

    [LoggerMessage(9, LogLevel.Information, "autoscaler {Stack}/{Pool}: {Action} {From} -> {To} ({Reason})")]
    public static partial void Decision(ILogger logger, string stack, string pool, string action, int from, int to, string reason);

    [LoggerMessage(10, LogLevel.Warning, "{Stack}/{Pool}: node {Node} dead for {Seconds:0} s; queued replacement {OperationId}")]
    public static partial void ReplacementQueued(ILogger logger, string stack, string pool, string node, double seconds, string operationId);

    [LoggerMessage(11, LogLevel.Warning, "restart: operation {OperationId} on {Stack} was {State}; now {NewState} {Error}")]
    public static partial void Recovered(ILogger logger, string operationId, string stack, string state, string newState, string? error);

    [LoggerMessage(12, LogLevel.Warning, "watcher {Stack}: {Error}")]
    public static partial void WatchFailed(ILogger logger, string stack, string error);

    [LoggerMessage(13, LogLevel.Warning, "{Stack}/{Pool}: new node {Node} not ready after {Seconds:0} s; dead node {Dead} kept")]
    public static partial void ReplacementNotReady(ILogger logger, string stack, string pool, string node, double seconds, string dead);

    [LoggerMessage(14, LogLevel.Warning, "{Stack}: waiting for `pulumi {Command}` (pid {Pid}) left running by the previous service process")]
    public static partial void OrphanWaiting(ILogger logger, string stack, int pid, string command);

    [LoggerMessage(15, LogLevel.Warning, "{Stack}: the stack is locked by the `up` (pid {Pid}) a killed service process left behind; cancelling it with `pulumi cancel`")]
    public static partial void CancellingOrphan(ILogger logger, string stack, int pid);

    [LoggerMessage(16, LogLevel.Warning, "{Stack}: an up is owed ({Reason}); reconciling")]
    public static partial void Reconciling(ILogger logger, string stack, string reason);
}
