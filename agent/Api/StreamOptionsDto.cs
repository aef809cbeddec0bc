using System.Text.Json.Serialization;

namespace Fleet.Agent.Api;

/// <summary>stream_options.</summary>
public sealed record StreamOptionsDto
{
    [JsonPropertyName("include_usage")]
    public bool? IncludeUsage { get; init; }
}
