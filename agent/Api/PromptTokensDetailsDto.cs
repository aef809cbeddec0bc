namespace Fleet.Agent.Api;

/// <summary><c>usage.prompt_tokens_details</c>: prompt tokens whose KV was reused from an earlier request.</summary>
public sealed record PromptTokensDetailsDto(int CachedTokens);
