namespace Fleet.Agent.Api;

/// <summary>An assistant message, or the delta of one streamed chunk.</summary>
public sealed record ChatMessageOut(string? Role, string? Content);
