namespace Fleet.Agent.Inference;

/// <summary>
/// Per-request sampling, handed to LLamaSharp's <c>DefaultSamplingPipeline</c> (llama.cpp's greedy sampler when only the
/// highest logit can win, see <c>Slot.IsGreedy</c>). Temperature 0 is greedy; a seed makes
/// sampling repeatable. TopK 0 and MinP 0 switch those filters off; penalties of 0 (frequency, presence) and 1
/// (repeat) change nothing. LogitBias maps token ids to a value added to their logit.
/// </summary>
public sealed record SamplingSettings(float Temperature, float TopP, uint? Seed)
{
    public int TopK { get; init; } = 40;
    public float MinP { get; init; } = 0.1f;
    public float FrequencyPenalty { get; init; }
    public float PresencePenalty { get; init; }
    public float RepeatPenalty { get; init; } = 1f;
    public IReadOnlyDictionary<int, float>? LogitBias { get; init; }

    /// <summary>A GBNF grammar (root rule <c>root</c>) every generated token must keep the text within; null: none.</summary>
    public string? Grammar { get; init; }
}
