namespace Fleet.Agent.Api;

/// <summary>
/// A tool call of the answer: in a message <c>{id, type, function}</c>; in a streamed delta also its <c>index</c>
/// among the choice's calls.
/// </summary>
public sealed record ToolCallOut(int? Index, string Id, string Type, FunctionCallOut Function);
