using Fleet.Gateway.Registry;

namespace Fleet.Gateway.Observability;

/// <summary>Every gateway log line. None carries a key, credential, token or prompt: only names and numbers.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1, LogLevel.Information, "Node {Node} (pool {Pool}) registered at {Endpoint}, model {Model}")]
    public static partial void NodeRegistered(ILogger logger, string node, string pool, string endpoint, string? model);

    [LoggerMessage(2, LogLevel.Information, "Node {Node} is now {State} (was {Previous}, silent {SilenceSeconds:0.0} s)")]
    public static partial void NodeStateChanged(ILogger logger, string node, NodeState state, NodeState previous, double silenceSeconds);

    [LoggerMessage(3, LogLevel.Warning, "Heartbeat refused: {Reason} (claimed node {ClaimedNode}, from {Remote})")]
    public static partial void HeartbeatRefused(ILogger logger, string reason, string? claimedNode, string? remote);

    [LoggerMessage(4, LogLevel.Warning, "Partition guard ON: {Silent} of {Live} nodes went silent at once; dead-marking is frozen (the gateway's network is the likelier fault)")]
    public static partial void PartitionGuardOn(ILogger logger, int silent, int live);

    [LoggerMessage(5, LogLevel.Information, "Partition guard OFF: {Silent} of {Live} nodes silent; dead-marking resumes")]
    public static partial void PartitionGuardOff(ILogger logger, int silent, int live);

    [LoggerMessage(6, LogLevel.Information, "Node {Node} removed: its credential is no longer in the nodes file (no new requests; {InFlight} in flight there run to their end)")]
    public static partial void NodeRemoved(ILogger logger, string node, int inFlight);

    [LoggerMessage(7, LogLevel.Information, "Node {Node} drain {Action} by the admin API ({InFlight} requests in flight)")]
    public static partial void DrainChanged(ILogger logger, string node, string action, int inFlight);

    [LoggerMessage(8, LogLevel.Warning, "Could not connect to node {Node}; it gets no requests until its next heartbeat ({Error})")]
    public static partial void NodeUnreachable(ILogger logger, string node, string error);

    [LoggerMessage(9, LogLevel.Warning, "Forwarding to node {Node} failed: {Error}")]
    public static partial void ForwardFailed(ILogger logger, string node, string error);

    [LoggerMessage(10, LogLevel.Information, "Loaded {File}: {Count} entries")]
    public static partial void FileLoaded(ILogger logger, string file, int count);

    [LoggerMessage(11, LogLevel.Error, "Problem in {File}: {Problem}")]
    public static partial void FileProblem(ILogger logger, string file, string problem);

    [LoggerMessage(12, LogLevel.Warning, "Key {Key} over its {Limit} limit; retry after {RetryAfterSeconds} s")]
    public static partial void RateLimited(ILogger logger, string key, string limit, int retryAfterSeconds);

    [LoggerMessage(17, LogLevel.Warning, "Client of {Key} refused: {Tracked} clients tracked already (FLEET_MAX_CLIENTS)")]
    public static partial void TooManyClients(ILogger logger, string key, int tracked);

    [LoggerMessage(13, LogLevel.Warning, "No capacity for model {Model} within {WaitSeconds} s; answering 503")]
    public static partial void NoCapacity(ILogger logger, string model, double waitSeconds);

    [LoggerMessage(14, LogLevel.Information, "Node {Node} restarted (sequence {Sequence} after {Previous})")]
    public static partial void NodeRestarted(ILogger logger, string node, long sequence, long previous);

    [LoggerMessage(15, LogLevel.Information, "JWT refused (issuer {Issuer}): {Reason}")]
    public static partial void JwtRefused(ILogger logger, string issuer, string reason);

    [LoggerMessage(16, LogLevel.Warning, "Signing keys of issuer {Issuer} could not be fetched within {TimeoutSeconds} s; its tokens get 503 until they can")]
    public static partial void IssuerUnavailable(ILogger logger, string issuer, double timeoutSeconds);
}
