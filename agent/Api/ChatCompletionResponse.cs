namespace Fleet.Agent.Api;

/// <summary><c>chat.completion</c> and <c>chat.completion.chunk</c>.</summary>
public sealed record ChatCompletionResponse(string Id, string Object, long Created, string Model, List<ChatChoice> Choices, UsageDto? Usage);
