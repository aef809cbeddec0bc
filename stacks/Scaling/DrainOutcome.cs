namespace Fleet.Stacks.Scaling;

/// <summary>How draining one node ended: drained, unknown to the gateway, or given up after the bound with work left.</summary>
public sealed record DrainOutcome(string Node, bool Drained, bool KnownToGateway, int Remaining, bool TimedOut);
