namespace Fleet.Stacks.Gateway;

// The parts of the gateway's admin documents the control service reads (gateway/Admin/*.cs; camelCase JSON).
// Extra fields are ignored, so the gateway can add to them freely.

/// <summary><c>GET /admin/v1/load</c>.</summary>
public sealed record GatewayLoad(int ReadyNodes, int Nodes, int QueueDepth, bool PartitionGuard, IReadOnlyList<GatewayPoolLoad> Pools);

/// <summary>One pool in <see cref="GatewayLoad"/>; slots count ready nodes only; TTFT is the worst ready node's p95.</summary>
public sealed record GatewayPoolLoad(string Pool, int ReadyNodes, int Nodes, int SlotsTotal, int SlotsBusy, int QueueDepth, int InFlight, double TtftP95Ms);

/// <summary><c>GET /admin/v1/nodes</c>.</summary>
public sealed record GatewayNodes(bool PartitionGuard, IReadOnlyList<GatewayNode> Nodes);

/// <summary>One node as the gateway sees it; <c>state</c> is loading, ready, draining, suspect or dead.</summary>
public sealed record GatewayNode(string Node, string Pool, string State, double SilenceSeconds, int SlotsTotal, int SlotsBusy, int QueueDepth, int InFlight, bool DrainRequested)
{
    public bool Idle => SlotsBusy + QueueDepth + InFlight == 0;
}

/// <summary><c>POST /admin/v1/nodes/{node}/drain</c> (and polling it again): <c>drained</c> once no work is left there.</summary>
public sealed record GatewayDrainStatus(string Node, string State, bool DrainRequested, bool Drained, int Remaining);
