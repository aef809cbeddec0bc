namespace Fleet.Stacks.Persistence;

/// <summary>
/// One accepted change: a webhook, console or autoscaler target (<c>scale</c>), a node replacement (<c>replace</c>: a dead
/// node, or one the console named), a named node's removal (<c>drain</c>) or an autoscaler pause or resume (<c>autoscale</c>).
/// </summary>
/// <param name="State">accepted → applying → succeeded | failed.</param>
/// <param name="Resumes">How many times a restart found it interrupted and resumed it.</param>
public sealed record OperationRecord(
    string Id,
    string Kind,
    string Source,
    string Stack,
    string Pool,
    int? Requested,
    int? Target,
    string? Node,
    string? Reason,
    string State,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? RunId,
    int Resumes);
