using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Agent.Api;

/// <summary>stream_options: include_usage is honoured; any other option is answered 400.</summary>
public sealed record StreamOptionsDto
{
    [JsonPropertyName("include_usage")]
    public bool? IncludeUsage { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unsupported { get; set; }
}
