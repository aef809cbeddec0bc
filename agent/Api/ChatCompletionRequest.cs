using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Agent.Api;

/// <summary>
/// POST /v1/chat/completions body. Every field named here is honoured (or refused with 400 when set to a value the
/// agent cannot serve); any other field lands in <see cref="Unsupported"/> and is answered 400 naming it.
/// </summary>
public sealed record ChatCompletionRequest : ISamplingFields
{
    public string? Model { get; init; }
    public List<ChatMessageDto>? Messages { get; init; }
    public int? MaxTokens { get; init; }
    public int? MaxCompletionTokens { get; init; }
    public float? Temperature { get; init; }
    public float? TopP { get; init; }
    public int? TopK { get; init; }
    public float? MinP { get; init; }
    public float? FrequencyPenalty { get; init; }
    public float? PresencePenalty { get; init; }
    public float? RepeatPenalty { get; init; }
    public Dictionary<string, float>? LogitBias { get; init; }
    public long? Seed { get; init; }
    public JsonElement? Stop { get; init; }
    public bool? Stream { get; init; }
    public StreamOptionsDto? StreamOptions { get; init; }
    public int? N { get; init; }
    public bool? Logprobs { get; init; }
    public int? TopLogprobs { get; init; }
    public string? User { get; init; }
    public ResponseFormatDto? ResponseFormat { get; init; }
    public List<ToolDto>? Tools { get; init; }
    public JsonElement? ToolChoice { get; init; }
    public bool? ParallelToolCalls { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unsupported { get; set; }
}
