using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Agent.Api;

/// <summary>One entry of <c>tools</c>: <c>{"type": "function", "function": {...}}</c>; other fields are answered 400.</summary>
public sealed record ToolDto
{
    public string? Type { get; init; }
    public FunctionDto? Function { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unsupported { get; set; }
}
