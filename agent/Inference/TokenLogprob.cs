namespace Fleet.Agent.Inference;

/// <summary>
/// One generated token with its log-probability under the model's own distribution (log-softmax of the raw logits,
/// before any sampling filter) and the most likely alternatives at that position, best first.
/// </summary>
public sealed record TokenLogprob(int Token, byte[] Bytes, float Logprob, IReadOnlyList<TokenAlternative> Top);
