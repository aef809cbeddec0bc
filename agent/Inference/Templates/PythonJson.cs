using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Fleet.Agent.Inference.Templates;

/// <summary>
/// JSON written the way the templates' <c>tojson</c> filter writes it (Python's <c>json.dumps</c>, as Hugging Face
/// renders chat templates: <c>", "</c> and <c>": "</c> separators, non-ASCII kept, optional indent), so tool
/// definitions and call arguments reach the prompt as the model saw them in training.
/// </summary>
internal static class PythonJson
{
    public static string Dumps(JsonElement value, int? indent = null)
    {
        var sb = new StringBuilder();
        Write(sb, value, indent, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonElement value, int? indent, int depth)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var members = value.EnumerateObject().ToList();
                if (members.Count == 0)
                {
                    sb.Append("{}");
                    return;
                }

                sb.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    Separator(sb, i, indent, depth + 1);
                    String(sb, members[i].Name);
                    sb.Append(": ");
                    Write(sb, members[i].Value, indent, depth + 1);
                }

                Close(sb, indent, depth).Append('}');
                return;
            case JsonValueKind.Array:
                var items = value.EnumerateArray().ToList();
                if (items.Count == 0)
                {
                    sb.Append("[]");
                    return;
                }

                sb.Append('[');
                for (var i = 0; i < items.Count; i++)
                {
                    Separator(sb, i, indent, depth + 1);
                    Write(sb, items[i], indent, depth + 1);
                }

                Close(sb, indent, depth).Append(']');
                return;
            case JsonValueKind.String:
                String(sb, value.GetString()!);
                return;
            default:
                sb.Append(value.GetRawText()); // numbers as sent; true, false, null
                return;
        }
    }

    private static void Separator(StringBuilder sb, int index, int? indent, int depth)
    {
        if (indent is { } n) sb.Append(index == 0 ? "" : ",").Append('\n').Append(' ', n * depth);
        else if (index > 0) sb.Append(", ");
    }

    private static StringBuilder Close(StringBuilder sb, int? indent, int depth) =>
        indent is { } n ? sb.Append('\n').Append(' ', n * depth) : sb;

    /// <summary>A JSON string as Python escapes it with ensure_ascii off.</summary>
    public static void String(StringBuilder sb, string text)
    {
        sb.Append('"');
        foreach (var c in text)
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        sb.Append('"');
    }

    /// <summary><c>tojson</c> of a string value.</summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder();
        String(sb, text);
        return sb.ToString();
    }
}
