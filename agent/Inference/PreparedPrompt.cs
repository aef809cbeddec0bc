using LLama.Native;

namespace Fleet.Agent.Inference;

/// <summary>A prompt after templating and tokenization, with the room left for generation in one slot.</summary>
public sealed record PreparedPrompt(LLamaToken[] Tokens, int MaxNewTokens);
