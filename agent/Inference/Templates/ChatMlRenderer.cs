namespace Fleet.Agent.Inference.Templates;

/// <summary>
/// ChatML as Qwen 2.5's template writes it, tools included (the Hermes format): offered tools go into the system
/// turn inside <c>&lt;tools&gt;</c>, an assistant's calls are <c>&lt;tool_call&gt;</c> blocks, and consecutive tool
/// results share one user turn of <c>&lt;tool_response&gt;</c> blocks. Without tools it is plain ChatML (plus the
/// template's default system prompt, if it has one).
/// </summary>
internal static class ChatMlRenderer
{
    private const string ToolsIntro =
        "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n" +
        "You are provided with function signatures within <tools></tools> XML tags:\n<tools>";

    private const string ToolsOutro =
        "\n</tools>\n\nFor each function call, return a json object with function name and arguments within " +
        "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n";

    public static void Render(ChatFormat format, IReadOnlyList<ChatTurn> turns, IReadOnlyList<ChatTool> tools, PromptPartsBuilder parts)
    {
        var firstIsSystem = turns.Count > 0 && turns[0].Role == "system";
        if (tools.Count > 0)
        {
            var system = firstIsSystem ? turns[0].Content : format.DefaultSystem;
            parts.Template("<|im_start|>system\n");
            if (!string.IsNullOrEmpty(system)) parts.Content(system).Template("\n\n");
            parts.Template(ToolsIntro);
            foreach (var tool in tools) parts.Template("\n").Content(PythonJson.Dumps(tool.Definition));
            parts.Template(ToolsOutro);
        }
        else if (firstIsSystem)
            parts.Template("<|im_start|>system\n").Content(turns[0].Content).Template("<|im_end|>\n");
        else if (format.DefaultSystem is { } fallback)
            parts.Template($"<|im_start|>system\n{fallback}<|im_end|>\n");

        for (var i = firstIsSystem ? 1 : 0; i < turns.Count; i++)
        {
            var turn = turns[i];
            if (turn.Role == "tool")
            {
                if (i == 0 || turns[i - 1].Role != "tool") parts.Template("<|im_start|>user");
                parts.Template("\n<tool_response>\n").Content(turn.Content).Template("\n</tool_response>");
                if (i == turns.Count - 1 || turns[i + 1].Role != "tool") parts.Template("<|im_end|>\n");
            }
            else if (turn.ToolCalls is { Count: > 0 } calls)
            {
                parts.Template("<|im_start|>assistant");
                if (turn.Content.Length > 0) parts.Template("\n").Content(turn.Content);
                foreach (var call in calls)
                    parts.Template("\n<tool_call>\n{\"name\": \"").Content(call.Name).Template("\", \"arguments\": ")
                        .Content(PythonJson.Dumps(call.Arguments)).Template("}\n</tool_call>");
                parts.Template("<|im_end|>\n");
            }
            else
                parts.Template($"<|im_start|>{turn.Role}\n").Content(turn.Content).Template("<|im_end|>\n");
        }

        parts.Template("<|im_start|>assistant\n");
    }
}
