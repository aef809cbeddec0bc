namespace Fleet.Stacks.Pulumi;

/// <summary>The <c>summaryEvent</c> of an update, plus what the event log showed on the way.</summary>
/// <param name="Result">succeeded, failed or canceled (CLI ≥ 3.237); null when the CLI does not say.</param>
/// <param name="ResourceChanges">op → count, e.g. create: 2, same: 40.</param>
public sealed record UpSummary(string? Result, double DurationSeconds, IReadOnlyDictionary<string, int> ResourceChanges, int Events, IReadOnlyList<string> Errors);
