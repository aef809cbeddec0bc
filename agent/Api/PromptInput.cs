using LLama.Native;

namespace Fleet.Agent.Api;

/// <summary>One prompt of <c>/v1/completions</c>: text, or token ids of this model (exactly one is set).</summary>
internal sealed record PromptInput(string? Text, LLamaToken[]? Tokens);
