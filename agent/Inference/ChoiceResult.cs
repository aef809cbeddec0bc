namespace Fleet.Agent.Inference;

/// <summary>How one choice of a request ended and how many tokens it generated.</summary>
public sealed record ChoiceResult(FinishReason Finish, int CompletionTokens);
