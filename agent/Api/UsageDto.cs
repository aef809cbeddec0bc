namespace Fleet.Agent.Api;

/// <summary>Token counts of one request (<c>usage</c>).</summary>
public sealed record UsageDto(int PromptTokens, int CompletionTokens, int TotalTokens);
