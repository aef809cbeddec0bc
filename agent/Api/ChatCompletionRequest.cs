using System.Text.Json;
using System.Text.Json.Serialization;

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

/// <summary>A chat message; content is a string or a list of text parts.</summary>
public sealed record ChatMessageDto
{
    public string? Role { get; init; }
    public JsonElement? Content { get; init; }
}

/// <summary>stream_options.</summary>
public sealed record StreamOptionsDto
{
    [JsonPropertyName("include_usage")]
    public bool? IncludeUsage { get; init; }
}
