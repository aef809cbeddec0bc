namespace Fleet.Stacks.Persistence;

/// <summary>One pass of the stack's writer: the config edits and <c>up</c>s that applied a batch of operations.</summary>
/// <param name="Commands">Every pulumi argv it ran, in order.</param>
/// <param name="Summary">The last <c>up</c>'s summary (JSON), from its event log.</param>
public sealed record RunRecord(
    string Id,
    string Stack,
    string State,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<string> Commands,
    string? Progress,
    string? Summary,
    string? Error);
