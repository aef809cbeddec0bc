namespace Fleet.Agent.Api;

/// <summary><c>text_completion</c>, whole or streamed.</summary>
public sealed record TextCompletionResponse(string Id, string Object, long Created, string Model, List<TextChoice> Choices, UsageDto? Usage);
