namespace Fleet.Agent.Api;

/// <summary>
/// One token of a chat answer: its text, log-probability, UTF-8 bytes (a token may hold part of a character) and the
/// most likely alternatives at its position.
/// </summary>
public sealed record ChatTokenLogprobDto(string Token, float Logprob, int[] Bytes, List<ChatTopLogprobDto> TopLogprobs);
