using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Agent.Api;

/// <summary>
/// A chat message; content is a string or a list of text parts. An assistant message may carry <c>tool_calls</c>, a
/// <c>tool</c> message answers one (<c>tool_call_id</c>). Other message fields are answered 400.
/// </summary>
public sealed record ChatMessageDto
{
    public string? Role { get; init; }
    public JsonElement? Content { get; init; }
    public List<ToolCallDto>? ToolCalls { get; init; }
    public string? ToolCallId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unsupported { get; set; }
}
