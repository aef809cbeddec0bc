namespace Fleet.Stacks.Gateway;

/// <summary>One node as the gateway sees it; <c>state</c> is loading, ready, draining, suspect or dead.</summary>
public sealed record GatewayNode(string Node, string Pool, string State, double SilenceSeconds, int SlotsTotal, int SlotsBusy, int QueueDepth, int InFlight, bool DrainRequested)
{
    public bool Idle => SlotsBusy + QueueDepth + InFlight == 0;
}
