using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Agent.Api;

/// <summary>A tool call of an earlier assistant message (<c>messages[].tool_calls[]</c>).</summary>
public sealed record ToolCallDto
{
    public string? Id { get; init; }
    public string? Type { get; init; }
    public FunctionCallDto? Function { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unsupported { get; set; }
}
