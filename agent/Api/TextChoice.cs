namespace Fleet.Agent.Api;

/// <summary>One choice of a text completion or chunk; logprobs only when the request asked.</summary>
public sealed record TextChoice(int Index, string Text, string? FinishReason, TextLogprobsDto? Logprobs = null);
