using System.Text.Json;

namespace Fleet.Agent.Api;

/// <summary>POST /v1/completions body (the fields the agent honours).</summary>
public sealed record CompletionRequest
{
    public string? Model { get; init; }
    public JsonElement? Prompt { get; init; }
    public int? MaxTokens { get; init; }
    public float? Temperature { get; init; }
    public float? TopP { get; init; }
    public long? Seed { get; init; }
    public JsonElement? Stop { get; init; }
    public bool? Stream { get; init; }
    public StreamOptionsDto? StreamOptions { get; init; }
    public int? N { get; init; }
}
