using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Agent.Api;

/// <summary>The function of a tool call: its name and arguments (a JSON object written as a string).</summary>
public sealed record FunctionCallDto
{
    public string? Name { get; init; }
    public string? Arguments { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unsupported { get; set; }
}
