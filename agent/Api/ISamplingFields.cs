using System.Text.Json;

namespace Fleet.Agent.Api;

/// <summary>The sampling and request-shape fields both completion endpoints share.</summary>
public interface ISamplingFields
{
    float? Temperature { get; }
    float? TopP { get; }
    int? TopK { get; }
    float? MinP { get; }
    float? FrequencyPenalty { get; }
    float? PresencePenalty { get; }
    float? RepeatPenalty { get; }
    Dictionary<string, float>? LogitBias { get; }
    long? Seed { get; }
    int? N { get; }
    StreamOptionsDto? StreamOptions { get; }
    Dictionary<string, JsonElement>? Unsupported { get; }
}
