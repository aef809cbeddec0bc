namespace Fleet.Agent.Api;

/// <summary><c>{"error": {...}}</c>.</summary>
public sealed record ErrorResponse(ErrorBody Error);
