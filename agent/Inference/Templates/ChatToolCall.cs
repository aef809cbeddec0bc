using System.Text.Json;

namespace Fleet.Agent.Inference.Templates;

/// <summary>A tool call of an earlier assistant turn: the function's name and its arguments (a JSON object).</summary>
public sealed record ChatToolCall(string Name, JsonElement Arguments);
