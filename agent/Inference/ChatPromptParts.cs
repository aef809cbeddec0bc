using System.Security.Cryptography;
using System.Text;
using LLama;

namespace Fleet.Agent.Inference;

/// <summary>
/// Applies the GGUF's chat template and tells its own text (role markers, control tokens) from the messages' content,
/// by rendering once with the content and once with unguessable placeholders in its place.
/// </summary>
internal static class ChatPromptParts
{
    /// <summary>
    /// The templated prompt as template and content parts. Throws <see cref="ControlTextException"/> when the template
    /// rewrites or moves content (so it cannot be located) and some content holds a control token's text.
    /// </summary>
    public static IReadOnlyList<PromptPart> Build(LLamaWeights weights, IReadOnlyList<ChatTurn> turns, PromptTokenizer tokenizer)
    {
        var real = Render(weights, turns);
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var marked = Render(weights, [.. turns.Select((t, i) => t with { Content = Marker(nonce, i) })]);
        foreach (var trim in new[] { false, true }) // some built-in templates trim each message
            if (Split(marked, nonce, turns, trim) is { } parts && string.Concat(parts.Select(p => p.Text)) == real)
                return parts;
        if (turns.Any(t => tokenizer.ContainsControlText(t.Content))) throw new ControlTextException();
        return [new PromptPart(real, FromTemplate: true)];
    }

    private static string Render(LLamaWeights weights, IReadOnlyList<ChatTurn> turns)
    {
        var template = new LLamaTemplate(weights) { AddAssistant = true };
        foreach (var turn in turns) template.Add(turn.Role, turn.Content);
        return Encoding.UTF8.GetString(template.Apply());
    }

    private static List<PromptPart>? Split(string marked, string nonce, IReadOnlyList<ChatTurn> turns, bool trim)
    {
        var parts = new List<PromptPart>();
        var at = 0;
        for (var i = 0; i < turns.Count; i++)
        {
            var marker = Marker(nonce, i);
            var found = marked.IndexOf(marker, at, StringComparison.Ordinal);
            if (found < 0) return null;
            parts.Add(new PromptPart(marked[at..found], FromTemplate: true));
            parts.Add(new PromptPart(trim ? turns[i].Content.Trim() : turns[i].Content, FromTemplate: false));
            at = found + marker.Length;
        }

        parts.Add(new PromptPart(marked[at..], FromTemplate: true));
        return parts;
    }

    private static string Marker(string nonce, int index) => $"fleet{nonce}m{index}x";
}
