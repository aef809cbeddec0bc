using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Agent.Api;

/// <summary><c>response_format</c>: <c>text</c>, <c>json_object</c> or <c>json_schema</c> (with <see cref="JsonSchema"/>).</summary>
public sealed record ResponseFormatDto
{
    public string? Type { get; init; }
    public JsonSchemaFormatDto? JsonSchema { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unsupported { get; set; }
}
