namespace Fleet.Agent.Api;

// The OpenAI response shapes, written with source-generated System.Text.Json (snake_case, nulls omitted).
// Kept together: each is a few lines and they are only meaningful as one wire format.

public sealed record UsageDto(int PromptTokens, int CompletionTokens, int TotalTokens);

public sealed record ChatMessageOut(string? Role, string? Content);

public sealed record ChatChoice(int Index, ChatMessageOut? Message, ChatMessageOut? Delta, string? FinishReason);

public sealed record ChatCompletionResponse(string Id, string Object, long Created, string Model, List<ChatChoice> Choices, UsageDto? Usage);

public sealed record TextChoice(int Index, string Text, string? FinishReason);

public sealed record TextCompletionResponse(string Id, string Object, long Created, string Model, List<TextChoice> Choices, UsageDto? Usage);

public sealed record ModelDto(string Id, string Object, long Created, string OwnedBy);

public sealed record ModelListResponse(string Object, List<ModelDto> Data);

public sealed record ErrorBody(string Message, string Type, string? Param, string? Code);

public sealed record ErrorResponse(ErrorBody Error);
