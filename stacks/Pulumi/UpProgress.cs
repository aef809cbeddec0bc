namespace Fleet.Stacks.Pulumi;

/// <summary>Progress of a running update, read from its event log.</summary>
public sealed record UpProgress(int Events, int ResourcesStarted, int ResourcesDone, string? LastMessage);
