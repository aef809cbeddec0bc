using System.Text.Json.Serialization;

namespace Fleet.Agent.Api;

/// <summary>
/// An assistant message. <c>content</c> is always written: null when the answer is tool calls (OpenAI's shape).
/// </summary>
public sealed record ChatMessageOut(
    string Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Content,
    List<ToolCallOut>? ToolCalls = null);
