namespace Fleet.Agent.Api;

/// <summary>The called function's name and its arguments: a JSON object, as a string (OpenAI's shape).</summary>
public sealed record FunctionCallOut(string Name, string Arguments);
