namespace Fleet.Stacks.Scaling;

/// <summary>A dead node id and the id that replaces it.</summary>
/// <param name="Added">The new id is already in the stack file (added by a run a restart interrupted): not added again.</param>
public sealed record Replacement(string Dead, string New, bool Added = false);
