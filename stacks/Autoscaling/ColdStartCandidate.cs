namespace Fleet.Stacks.Autoscaling;

/// <summary>An autoscaled pool that could start a model from zero: its name, the model id it serves, its node price, size and max.</summary>
public sealed record ColdStartCandidate(string Pool, string Model, decimal? NodeMonthlyPrice, int Size, int Max);
