namespace Fleet.Agent.Inference.Templates;

/// <summary>
/// Llama 3.x as its template writes it. Llama 3.1+ (the dated system block) with tools: "Environment: ipython" in
/// the system block and the tool definitions in the first user message (the template's default,
/// <c>tools_in_user_message</c>); an assistant's call is its JSON <c>{"name": …, "parameters": …}</c>; a tool result
/// is an <c>ipython</c> turn holding the result as <c>tojson</c> writes it (a string result, quoted).
/// </summary>
internal static class Llama3Renderer
{
    private const string ToolsPreamble =
        "Given the following functions, please respond with a JSON for a function call with its proper arguments that " +
        "best answers the given prompt.\n\nRespond in the format {\"name\": function name, \"parameters\": dictionary of " +
        "argument name and its value}.Do not use variables.\n\n";

    /// <summary>The caller has checked that, with tools, the first message after the system one is the user's.</summary>
    public static void Render(ChatFormat format, IReadOnlyList<ChatTurn> turns, DateTimeOffset now, IReadOnlyList<ChatTool> tools,
        PromptPartsBuilder parts)
    {
        var rest = turns;
        if (format.KnowledgeDate is { } knowledge)
        {
            // Llama 3.1+: a system block always comes first, holding the dates and the (trimmed) system message.
            var system = turns.Count > 0 && turns[0].Role == "system" ? turns[0].Content.Trim() : "";
            if (turns.Count > 0 && turns[0].Role == "system") rest = [.. turns.Skip(1)];
            parts.Template("<|start_header_id|>system<|end_header_id|>\n\n");
            if (tools.Count > 0) parts.Template("Environment: ipython\n");
            parts.Template($"Cutting Knowledge Date: {knowledge}\nToday Date: {format.Today(now)}\n\n").Content(system).Template("<|eot_id|>");
        }

        if (tools.Count > 0 && rest.Count > 0)
        {
            parts.Template("<|start_header_id|>user<|end_header_id|>\n\n" + ToolsPreamble);
            foreach (var tool in tools) parts.Content(PythonJson.Dumps(tool.Definition, indent: 4)).Template("\n\n");
            parts.Content(rest[0].Content.Trim()).Template("<|eot_id|>");
            rest = [.. rest.Skip(1)];
        }

        foreach (var turn in rest)
        {
            if (turn.Role == "tool")
                parts.Template("<|start_header_id|>ipython<|end_header_id|>\n\n").Content(PythonJson.Quote(turn.Content)).Template("<|eot_id|>");
            else if (turn.ToolCalls is { Count: > 0 } calls)
                parts.Template("<|start_header_id|>assistant<|end_header_id|>\n\n{\"name\": \"").Content(calls[0].Name)
                    .Template("\", \"parameters\": ").Content(PythonJson.Dumps(calls[0].Arguments)).Template("}<|eot_id|>");
            else
                parts.Template($"<|start_header_id|>{turn.Role}<|end_header_id|>\n\n").Content(turn.Content.Trim()).Template("<|eot_id|>");
        }

        parts.Template("<|start_header_id|>assistant<|end_header_id|>\n\n");
    }
}
