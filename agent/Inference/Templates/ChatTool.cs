using System.Text.Json;

namespace Fleet.Agent.Inference.Templates;

/// <summary>
/// A tool the client offers: its function's name and the whole tool object as sent
/// (<c>{"type": "function", "function": {...}}</c>), which the templates print into the prompt.
/// </summary>
public sealed record ChatTool(string Name, JsonElement Definition);
