namespace Fleet.Agent.Api;

/// <summary>Tokens read for an embeddings request (all inputs).</summary>
public sealed record EmbeddingsUsageDto(int PromptTokens, int TotalTokens);
