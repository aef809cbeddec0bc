using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Agent.Api;

/// <summary>POST /v1/embeddings body; any other field set (e.g. <c>dimensions</c>) is answered 400 naming it.</summary>
public sealed record EmbeddingsRequest
{
    public string? Model { get; init; }
    public JsonElement? Input { get; init; }
    public string? EncodingFormat { get; init; }
    public string? User { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unsupported { get; set; }
}
