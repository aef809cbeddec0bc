namespace Fleet.Agent.Api;

/// <summary>One choice of a chat completion (message) or chunk (delta).</summary>
public sealed record ChatChoice(int Index, ChatMessageOut? Message, ChatMessageOut? Delta, string? FinishReason);
