namespace Fleet.Agent.Inference;

/// <summary>A candidate token at one position and its log-probability (see <see cref="TokenLogprob"/>).</summary>
public sealed record TokenAlternative(int Token, byte[] Bytes, float Logprob);
