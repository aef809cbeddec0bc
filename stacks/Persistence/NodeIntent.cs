namespace Fleet.Stacks.Persistence;

/// <summary>An operator's action on one node of a pool (drain or replace): the node's id in the stack file, who asked, and why.</summary>
public sealed record NodeIntent(string Stack, string Pool, string Node, string Source, string Reason);
