namespace Fleet.Agent.Api;

/// <summary>The inside of an OpenAI error.</summary>
public sealed record ErrorBody(string Message, string Type, string? Param, string? Code);
