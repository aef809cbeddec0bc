namespace Fleet.Agent.Inference.Templates;

/// <summary>
/// Writes a conversation the way the model's own template does (add_generation_prompt on), as template and client
/// parts. BOS is not written: the tokenizer adds it as the model asks, as llama.cpp does for its templates.
/// </summary>
internal static class ChatRenderer
{
    /// <summary>
    /// Renders <paramref name="turns"/>; <paramref name="tools"/> (offered tools, empty or null: none) are written the
    /// way the family's tool-calling template does. The caller has checked that the family has a tool format
    /// (<see cref="ChatFormat.ToolFormat"/>) when there are tools, tool turns or tool calls.
    /// </summary>
    public static IReadOnlyList<PromptPart> Render(ChatFormat format, IReadOnlyList<ChatTurn> turns, DateTimeOffset now,
        IReadOnlyList<ChatTool>? tools = null)
    {
        var parts = new PromptPartsBuilder();
        tools ??= [];
        switch (format.Family)
        {
            case ChatTemplateFamily.Llama3: Llama3Renderer.Render(format, turns, now, tools, parts); break;
            case ChatTemplateFamily.Mistral: Mistral(format, turns, parts); break;
            case ChatTemplateFamily.Gemma: Gemma(turns, parts); break;
            case ChatTemplateFamily.Phi3: Phi3(turns, parts); break;
            default: ChatMlRenderer.Render(format, turns, tools, parts); break;
        }

        return parts.Build();
    }

    private static void Mistral(ChatFormat format, IReadOnlyList<ChatTurn> turns, PromptPartsBuilder parts)
    {
        // Mistral's templates know no system role beyond a first message put before the first user message.
        var (system, rest) = SplitSystem(turns);
        var space = format.MistralLeadingSpace ? " " : "";
        foreach (var turn in rest)
        {
            if (turn.Role == "assistant")
            {
                parts.Template(space).Content(turn.Content).Template(format.EosText);
                continue;
            }

            parts.Template($"{space}[INST] ");
            if (system is not null)
            {
                parts.Content(system).Template(format.MistralLeadingSpace ? "\n\n" : "\n");
                system = null;
            }

            parts.Content(turn.Content).Template(" [/INST]");
        }

        if (system is not null) parts.Template($"{space}[INST] ").Content(system).Template(" [/INST]");
    }

    private static void Gemma(IReadOnlyList<ChatTurn> turns, PromptPartsBuilder parts)
    {
        // Gemma has no system turn: the first system message opens the first user turn (Gemma 3's template).
        var (system, rest) = SplitSystem(turns);
        foreach (var turn in rest)
        {
            parts.Template($"<start_of_turn>{(turn.Role == "assistant" ? "model" : "user")}\n");
            if (system is not null && turn.Role != "assistant")
            {
                parts.Content(system).Template("\n\n");
                system = null;
            }

            parts.Content(turn.Content.Trim()).Template("<end_of_turn>\n");
        }

        if (system is not null) parts.Template("<start_of_turn>user\n").Content(system).Template("\n\n<end_of_turn>\n");
        parts.Template("<start_of_turn>model\n");
    }

    private static void Phi3(IReadOnlyList<ChatTurn> turns, PromptPartsBuilder parts)
    {
        foreach (var turn in turns)
            parts.Template($"<|{turn.Role}|>\n").Content(turn.Content).Template("<|end|>\n");
        parts.Template("<|assistant|>\n");
    }

    private static (string? System, IReadOnlyList<ChatTurn> Turns) SplitSystem(IReadOnlyList<ChatTurn> turns) =>
        turns.Count > 0 && turns[0].Role == "system" ? (turns[0].Content, [.. turns.Skip(1)]) : (null, turns);
}
