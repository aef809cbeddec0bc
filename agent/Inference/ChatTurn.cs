using Fleet.Agent.Inference.Templates;

namespace Fleet.Agent.Inference;

/// <summary>One chat message as the template sees it.</summary>
public sealed record ChatTurn(string Role, string Content)
{
    /// <summary>An assistant turn's tool calls, written in the family's call format; null: none.</summary>
    public IReadOnlyList<ChatToolCall>? ToolCalls { get; init; }
}
