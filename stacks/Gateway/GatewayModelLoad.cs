namespace Fleet.Stacks.Gateway;

/// <summary>
/// One model in <see cref="GatewayLoad"/>: its nodes (not dead) and ready nodes, and the demand waiting for it.
/// <c>held</c> counts requests for a configured model that no ready node serves (scale from zero), a subset of <c>waiting</c>.
/// </summary>
public sealed record GatewayModelLoad(string Model, bool Configured, int ReadyNodes, int Nodes, int SlotsTotal, int SlotsBusy, int InFlight, int Waiting, int Held)
{
    /// <summary>Requests wait for the model and no ready node serves it: a node must be started.</summary>
    public bool Cold => ReadyNodes == 0 && (Held > 0 || Waiting > 0);
}
