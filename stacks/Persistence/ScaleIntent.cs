namespace Fleet.Stacks.Persistence;

/// <summary>A new desired size for a pool: what a webhook asked for, clamped, or what the autoscaler decided.</summary>
public sealed record ScaleIntent(string Stack, string Pool, string Source, int Requested, int Target, string? Reason);
