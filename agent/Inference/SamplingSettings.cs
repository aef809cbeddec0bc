namespace Fleet.Agent.Inference;

/// <summary>Per-request sampling. Temperature 0 is greedy; a seed makes sampling repeatable.</summary>
public sealed record SamplingSettings(float Temperature, float TopP, uint? Seed);
