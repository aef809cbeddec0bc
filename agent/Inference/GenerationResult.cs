namespace Fleet.Agent.Inference;

/// <summary>How a generation ended and what it counted.</summary>
public sealed record GenerationResult(FinishReason Finish, int PromptTokens, int CompletionTokens, string? Error = null);
