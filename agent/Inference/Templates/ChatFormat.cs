using System.Globalization;
using System.Text.RegularExpressions;

namespace Fleet.Agent.Inference.Templates;

/// <summary>
/// How chat prompts are written for this model: the family recognised in the GGUF's <c>tokenizer.chat_template</c>
/// and what that template adds on its own (a default system prompt, Llama 3.1's date header).
/// </summary>
/// <param name="Family">The family rendered.</param>
/// <param name="Recognised">False when the template was missing or of no known family: ChatML is the fallback.</param>
/// <param name="DefaultSystem">System prompt the template writes when the conversation has none (Qwen 2/2.5).</param>
/// <param name="KnowledgeDate">Llama 3.1+: the "Cutting Knowledge Date" its template always writes; null otherwise.</param>
/// <param name="TodayDate">Llama 3.1+: the template's default "Today Date"; null when it uses the current date.</param>
/// <param name="MistralLeadingSpace">Mistral: <c>" [INST] "</c> and <c>" " + reply</c> (the v1 template) instead of <c>"[INST] "</c>.</param>
/// <param name="EosText">The end-of-sequence token's text (Mistral closes each reply with it).</param>
internal sealed partial record ChatFormat(
    ChatTemplateFamily Family,
    bool Recognised,
    string? DefaultSystem = null,
    string? KnowledgeDate = null,
    string? TodayDate = null,
    bool MistralLeadingSpace = false,
    string EosText = "</s>")
{
    /// <summary>Recognises the family from the template text (markers only; the Jinja itself is never run).</summary>
    public static ChatFormat Detect(string? template, string eosText)
    {
        if (string.IsNullOrWhiteSpace(template)) return new ChatFormat(ChatTemplateFamily.ChatMl, Recognised: false, EosText: eosText);
        if (template.Contains("<|start_header_id|>", StringComparison.Ordinal))
        {
            if (KnowledgeDateRegex().Match(template) is not { Success: true } knowledge)
                return new ChatFormat(ChatTemplateFamily.Llama3, true, EosText: eosText);
            var today = template.Contains("strftime_now", StringComparison.Ordinal) ? null
                : DateStringRegex().Match(template) is { Success: true } date ? date.Groups[1].Value : "26 Jul 2024";
            return new ChatFormat(ChatTemplateFamily.Llama3, true, KnowledgeDate: knowledge.Groups[1].Value, TodayDate: today, EosText: eosText);
        }

        if (template.Contains("<start_of_turn>", StringComparison.Ordinal))
            return new ChatFormat(ChatTemplateFamily.Gemma, true, EosText: eosText);
        if (template.Contains("<|im_start|>", StringComparison.Ordinal) && !template.Contains("<|im_sep|>", StringComparison.Ordinal))
        {
            var system = DefaultSystemRegex().Match(template);
            return new ChatFormat(ChatTemplateFamily.ChatMl, true,
                DefaultSystem: system.Success ? system.Groups[1].Value.Replace("\\n", "\n", StringComparison.Ordinal) : null, EosText: eosText);
        }

        if (template.Contains("<|end|>", StringComparison.Ordinal)
            && (template.Contains("<|user|>", StringComparison.Ordinal) || template.Contains("<|assistant|>", StringComparison.Ordinal)))
            return new ChatFormat(ChatTemplateFamily.Phi3, true, EosText: eosText);
        if (template.Contains("[INST]", StringComparison.Ordinal))
            return new ChatFormat(ChatTemplateFamily.Mistral, true,
                MistralLeadingSpace: template.Contains("' [INST] '", StringComparison.Ordinal), EosText: eosText);
        return new ChatFormat(ChatTemplateFamily.ChatMl, Recognised: false, EosText: eosText);
    }

    /// <summary>The family's name as logged and documented.</summary>
    public string Name => Family switch
    {
        ChatTemplateFamily.ChatMl => DefaultSystem is null ? "ChatML" : "ChatML with a default system prompt",
        ChatTemplateFamily.Llama3 => KnowledgeDate is null ? "Llama 3" : "Llama 3.1+ (date header)",
        ChatTemplateFamily.Mistral => MistralLeadingSpace ? "Mistral (v1 spacing)" : "Mistral",
        ChatTemplateFamily.Gemma => "Gemma",
        _ => "Phi-3",
    };

    /// <summary>
    /// The tool-call format of this family's templates: ChatML writes Hermes/Qwen blocks, Llama 3.1+ (the templates with
    /// the date header) JSON function calls; null where the family's templates write none (Llama 3.0, Mistral, Gemma, Phi-3).
    /// </summary>
    public ToolCallFormat? ToolFormat => Family switch
    {
        ChatTemplateFamily.ChatMl => ToolCallFormat.Hermes,
        ChatTemplateFamily.Llama3 when KnowledgeDate is not null => ToolCallFormat.Llama3Json,
        _ => null,
    };

    /// <summary>The "Today Date" written now: the template's fixed default, else today (UTC), as <c>strftime("%d %b %Y")</c>.</summary>
    public string Today(DateTimeOffset now) => TodayDate ?? now.UtcDateTime.ToString("dd MMM yyyy", CultureInfo.InvariantCulture);

    // A system block written as one literal, e.g. '<|im_start|>system\nYou are Qwen, ...<|im_end|>\n' (Jinja escapes
    // \n as two characters); a block built from messages[0] has quotes or brackets between the markers and is skipped.
    [GeneratedRegex(@"<\|im_start\|>system(?:\\n|\n)([^'""{}\[\]<>]+?)<\|im_end\|>")]
    private static partial Regex DefaultSystemRegex();

    [GeneratedRegex(@"Cutting Knowledge Date: ([^\\""\n]+)")]
    private static partial Regex KnowledgeDateRegex();

    [GeneratedRegex(@"set date_string = ""([^""]+)""")]
    private static partial Regex DateStringRegex();
}
