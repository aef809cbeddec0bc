namespace Fleet.Agent.Inference.Templates;

/// <summary>How a template family's models write tool calls (and what opens one).</summary>
internal enum ToolCallFormat
{
    /// <summary>
    /// Hermes / Qwen 2.5 (ChatML): <c>&lt;tool_call&gt;\n{"name": …, "arguments": {…}}\n&lt;/tool_call&gt;</c>, one block
    /// per call; tool results come back in a user turn as <c>&lt;tool_response&gt;</c> blocks.
    /// </summary>
    Hermes,

    /// <summary>
    /// Llama 3.1+ JSON function calling: the whole answer is <c>{"name": …, "parameters": {…}}</c>, one call per
    /// answer; tool results come back in an <c>ipython</c> turn.
    /// </summary>
    Llama3Json,
}
