namespace Fleet.Agent.Inference;

/// <summary>
/// How a generation ended and what it counted. <see cref="CompletionTokens"/> sums every choice; the prompt is counted
/// once however many choices share it. <see cref="CachedTokens"/>: prompt tokens whose KV was reused from an earlier
/// request instead of being decoded again.
/// </summary>
public sealed record GenerationResult(FinishReason Finish, int PromptTokens, int CompletionTokens, string? Error = null)
{
    /// <summary>Each choice in index order (one entry for a request with n = 1).</summary>
    public IReadOnlyList<ChoiceResult> Choices { get; init; } = [new(Finish, CompletionTokens)];

    public int CachedTokens { get; init; }
}
