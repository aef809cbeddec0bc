namespace Fleet.Stacks.Console;

/// <summary>A node a managed pool lists: its pool, its id in the stack file and its name at the gateway.</summary>
public sealed record ConsoleNode(string Pool, string Id, string Node);
