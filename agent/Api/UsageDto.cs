namespace Fleet.Agent.Api;

/// <summary>Token counts of one request (<c>usage</c>); the prompt counts once however many choices share it.</summary>
public sealed record UsageDto(int PromptTokens, int CompletionTokens, int TotalTokens, PromptTokensDetailsDto PromptTokensDetails);
