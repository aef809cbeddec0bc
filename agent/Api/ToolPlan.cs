using Fleet.Agent.Inference.Templates;

namespace Fleet.Agent.Api;

/// <summary>
/// What a chat request's <c>tools</c> and <c>tool_choice</c> come to: the tools written into the prompt, the grammar
/// that constrains the answer, and the call format the answer is read in (null: tools play no part).
/// </summary>
internal sealed record ToolPlan(IReadOnlyList<ChatTool> Prompted, string? Grammar, ToolCallFormat? Format)
{
    /// <summary>No tools, or <c>tool_choice: none</c>.</summary>
    public static readonly ToolPlan None = new([], null, null);
}
