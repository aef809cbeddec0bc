using System.Text.Json;

namespace Fleet.Agent.Api;

/// <summary>POST /v1/chat/completions body (the fields the agent honours).</summary>
public sealed record ChatCompletionRequest
{
    public string? Model { get; init; }
    public List<ChatMessageDto>? Messages { get; init; }
    public int? MaxTokens { get; init; }
    public int? MaxCompletionTokens { get; init; }
    public float? Temperature { get; init; }
    public float? TopP { get; init; }
    public long? Seed { get; init; }
    public JsonElement? Stop { get; init; }
    public bool? Stream { get; init; }
    public StreamOptionsDto? StreamOptions { get; init; }
    public int? N { get; init; }
}
