namespace Fleet.Stacks.Gateway;

/// <summary><c>POST /admin/v1/nodes/{node}/drain</c> (and polling it again): <c>drained</c> once no work is left there.</summary>
public sealed record GatewayDrainStatus(string Node, string State, bool DrainRequested, bool Drained, int Remaining);
