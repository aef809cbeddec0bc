using System.Text.Json;
using Fleet.Agent.Grammars;
using Fleet.Agent.Inference.Templates;

namespace Fleet.Agent.Api;

/// <summary>
/// Reads an answer written in a family's call format back into calls (name + arguments text). The grammar made every
/// finished answer that starts with the opener well-formed; an answer cut short (max_tokens, a stop sequence) is not
/// calls, and is returned as text.
/// </summary>
internal static class ToolCallParser
{
    private const string HermesOpen = "<tool_call>", HermesClose = "</tool_call>";

    /// <summary>Whether the text starts (or may still start) a call: decides how a streamed answer is sent.</summary>
    public static bool? StartsCall(ToolCallFormat format, string text)
    {
        var opener = ToolCallGrammar.Opener(format);
        if (text.StartsWith(opener, StringComparison.Ordinal)) return true;
        return opener.StartsWith(text, StringComparison.Ordinal) ? null : false;
    }

    /// <summary>The calls <paramref name="text"/> holds from its start, or null when it is not (only) calls.</summary>
    public static List<(string Name, string Arguments)>? Parse(ToolCallFormat format, string text)
    {
        if (format == ToolCallFormat.Llama3Json) return Single(text.Trim(), "parameters") is { } call ? [call] : null;
        var calls = new List<(string, string)>();
        var rest = text.AsSpan().TrimEnd();
        while (rest.Length > 0)
        {
            if (!rest.StartsWith(HermesOpen, StringComparison.Ordinal)) return null;
            var end = rest.IndexOf(HermesClose, StringComparison.Ordinal);
            if (end < 0 || Single(rest[HermesOpen.Length..end].ToString().Trim(), "arguments") is not { } call) return null;
            calls.Add(call);
            rest = rest[(end + HermesClose.Length)..].TrimStart();
        }

        return calls.Count > 0 ? calls : null;
    }

    /// <summary>Calls completed so far in a streamed Hermes answer (each ends with its closing tag).</summary>
    public static int CompleteHermesCalls(string text)
    {
        var count = 0;
        for (var at = text.IndexOf(HermesClose, StringComparison.Ordinal); at >= 0; at = text.IndexOf(HermesClose, at + 1, StringComparison.Ordinal))
            count++;
        return count;
    }

    private static (string, string)? Single(string json, string argumentsKey)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                || !root.TryGetProperty(argumentsKey, out var arguments) || arguments.ValueKind != JsonValueKind.Object)
                return null;
            return (name.GetString()!, arguments.GetRawText());
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
