namespace Fleet.Agent.Api;

/// <summary>A chat choice's <c>logprobs</c>: one entry per generated token (in a chunk: the tokens of that chunk).</summary>
public sealed record ChatLogprobsDto(List<ChatTokenLogprobDto> Content);
