namespace Fleet.Stacks.Hosting;

/// <summary><c>POST /v1/scale</c> body: a pool of a stack and its target node count.</summary>
public sealed record ScaleRequest(string? Stack, string? Pool, int? Nodes);
