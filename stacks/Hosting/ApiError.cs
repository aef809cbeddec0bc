namespace Fleet.Stacks.Hosting;

/// <summary>Every error answer: a code and a message that says what to fix.</summary>
public sealed record ApiError(string Code, string Message);
