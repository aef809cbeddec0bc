namespace Fleet.Stacks.Gateway;

/// <summary>
/// One node as the gateway sees it; <c>state</c> is loading, ready, draining, suspect or dead. The figures after
/// <paramref name="DrainRequested"/> are the node's last heartbeat as the gateway relays it (the console shows them);
/// null or empty when the gateway does not send them.
/// </summary>
/// <param name="Backend">The agent's inference backend as it reports it (e.g. <c>cpu</c>, <c>cuda</c>).</param>
/// <param name="Version">The agent's version.</param>
/// <param name="TokensPerSecond">Generated tokens per second the node last reported.</param>
/// <param name="TtftP95Ms">The node's time-to-first-token p95 in milliseconds.</param>
/// <param name="Gpus">The node's GPUs with memory in MiB; empty on a CPU node.</param>
/// <param name="RegisteredAt">The first heartbeat of the node's current registration (the console's age); null from an older gateway.</param>
public sealed record GatewayNode(string Node, string Pool, string State, double SilenceSeconds, int SlotsTotal, int SlotsBusy, int QueueDepth, int InFlight, bool DrainRequested,
    string? Model = null, string? Backend = null, string? Version = null, double TokensPerSecond = 0, double TtftP95Ms = 0, IReadOnlyList<GatewayGpu>? Gpus = null, DateTimeOffset? RegisteredAt = null)
{
    public bool Idle => SlotsBusy + QueueDepth + InFlight == 0;
}
