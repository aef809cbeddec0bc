namespace Fleet.Agent.Api;

/// <summary>
/// Legacy completions' <c>logprobs</c>: parallel lists per generated token — its text, log-probability, the best
/// alternatives as <c>{token text: logprob}</c>, and the character offset of the token in prompt + completion.
/// </summary>
public sealed record TextLogprobsDto(List<string> Tokens, List<float> TokenLogprobs, List<Dictionary<string, float>> TopLogprobs, List<int> TextOffset);
