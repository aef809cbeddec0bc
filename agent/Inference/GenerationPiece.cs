namespace Fleet.Agent.Inference;

/// <summary>
/// Text generated for one choice, safe to send (no part of a stop sequence), with the log-probabilities of the tokens
/// it came from when the request asked for them (null otherwise).
/// </summary>
public sealed record GenerationPiece(int Choice, string Text, IReadOnlyList<TokenLogprob>? Logprobs = null);
