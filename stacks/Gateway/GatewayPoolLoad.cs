namespace Fleet.Stacks.Gateway;

/// <summary>One pool in <see cref="GatewayLoad"/>; slots count ready nodes only; TTFT is the worst ready node's p95; tokens per second the ready nodes' sum.</summary>
public sealed record GatewayPoolLoad(string Pool, int ReadyNodes, int Nodes, int SlotsTotal, int SlotsBusy, int QueueDepth, int InFlight, double TtftP95Ms, double TokensPerSecond = 0);
