namespace Fleet.Agent.Api;

/// <summary>One choice of a chat completion (message) or chunk (delta); logprobs only when the request asked.</summary>
public sealed record ChatChoice(int Index, ChatMessageOut? Message, ChatDeltaOut? Delta, string? FinishReason, ChatLogprobsDto? Logprobs = null);
