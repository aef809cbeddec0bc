namespace Fleet.Agent.Api;

/// <summary>An alternative token at one position of a chat answer (<c>top_logprobs[]</c>).</summary>
public sealed record ChatTopLogprobDto(string Token, float Logprob, int[] Bytes);
