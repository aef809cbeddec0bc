namespace Fleet.Stacks.Scaling;

/// <summary>A dead node id and the id that replaces it.</summary>
public sealed record Replacement(string Dead, string New);
