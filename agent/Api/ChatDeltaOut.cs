namespace Fleet.Agent.Api;

/// <summary>The delta of one streamed chunk: role (first chunk), text, or tool calls; absent fields are not written.</summary>
public sealed record ChatDeltaOut(string? Role, string? Content, List<ToolCallOut>? ToolCalls = null);
