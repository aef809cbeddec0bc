using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Agent.Api;

/// <summary>
/// A tool's function: name, description and JSON-schema <c>parameters</c> (which constrain the call's arguments).
/// <c>strict</c> is accepted either way: calls are always constrained to the schema.
/// </summary>
public sealed record FunctionDto
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public JsonElement? Parameters { get; init; }
    public bool? Strict { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unsupported { get; set; }
}
