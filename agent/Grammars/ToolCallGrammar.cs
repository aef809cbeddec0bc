using System.Globalization;
using System.Text;
using System.Text.Json;
using Fleet.Agent.Inference.Templates;

namespace Fleet.Agent.Grammars;

/// <summary>
/// GBNF for tool calls in a family's format, each call's arguments constrained by its tool's <c>parameters</c> schema
/// (<see cref="JsonSchemaGrammar"/>), so every call parses and validates. <c>required</c> (or a named function): the
/// answer is calls only. <c>auto</c>: the answer is calls, or text that does not start with the call opener
/// (<see cref="Opener"/>) — the grammar constrains the whole answer, so once the opener is written the rest is a call.
/// </summary>
internal static class ToolCallGrammar
{
    /// <summary>What starts a call in <paramref name="format"/>; an answer starting so is a call.</summary>
    public static string Opener(ToolCallFormat format) => format == ToolCallFormat.Hermes ? "<tool_call>" : "{\"name\"";

    /// <param name="format">The family's call format.</param>
    /// <param name="tools">The callable tools: name, parameters schema, and the request path of the schema (for errors).</param>
    /// <param name="required">Calls only (required, named function); otherwise calls or text.</param>
    /// <param name="parallel">Several calls in one answer (Hermes only: a Llama 3.1 answer is one call).</param>
    /// <exception cref="UnsupportedSchemaException">A schema the grammar generator cannot constrain.</exception>
    public static string Build(ToolCallFormat format, IReadOnlyList<(string Name, JsonElement Parameters, string Path)> tools, bool required, bool parallel)
    {
        return JsonSchemaGrammar.BuildMany([.. tools.Select(t => (t.Parameters, t.Path))], arguments =>
        {
            var calls = tools.Select((t, i) => Call(format, t.Name, arguments[i])).ToList();
            var sb = new StringBuilder(required ? "tool-calls" : "tool-calls | content").Append('\n');
            var repeat = parallel && format == ToolCallFormat.Hermes ? " (\"\\n\" tool-call)*" : "";
            sb.Append("tool-calls ::= tool-call").Append(repeat).Append('\n');
            sb.Append("tool-call ::= ").Append(string.Join(" | ", calls)).Append('\n');
            if (!required) sb.Append("content ::= ").Append(NotStartingWith(Opener(format))).Append("\nany ::= [^\\x00]\n");
            return sb.ToString().TrimEnd('\n');
        });
    }

    private static string Call(ToolCallFormat format, string name, string arguments) => format == ToolCallFormat.Hermes
        ? $"{JsonSchemaGrammar.Literal($"<tool_call>\n{{\"name\": \"{name}\", \"arguments\": ")} {arguments} {JsonSchemaGrammar.Literal("}\n</tool_call>")}"
        : $"({JsonSchemaGrammar.Literal($"{{\"name\": \"{name}\", \"parameters\": ")} {arguments} \"}}\")";

    /// <summary>Any text (empty included) that does not start with <paramref name="opener"/>.</summary>
    private static string NotStartingWith(string opener)
    {
        string? rest = null;
        for (var i = opener.Length - 1; i >= 0; i--)
        {
            var c = opener[i];
            var other = $"[^\\x{(int)c:X2}] any*";
            rest = rest is null ? $"({other})?" : $"({other} | {JsonSchemaGrammar.Literal(c.ToString(CultureInfo.InvariantCulture))} {rest})?";
        }

        return rest ?? "any*";
    }
}
