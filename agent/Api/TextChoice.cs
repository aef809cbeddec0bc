namespace Fleet.Agent.Api;

/// <summary>One choice of a text completion or chunk.</summary>
public sealed record TextChoice(int Index, string Text, string? FinishReason);
