using System.Text.Json;

namespace Fleet.Stacks.Console;

/// <summary>
/// Reads a console action's body strictly, like <see cref="Webhooks.ScaleRequestReader"/>: one JSON object with exactly the
/// given fields, each once; names (stack, pool, node) are 1–100 letters, digits, '-', '_' or '.'; flags are true or false.
/// </summary>
public static class ConsoleBodyReader
{
    /// <summary>The values by field (a string per name, a bool per flag), or null with <paramref name="error"/> (field, message) set.</summary>
    public static IReadOnlyDictionary<string, object>? Read(ReadOnlyMemory<byte> body, string example, IReadOnlyList<string> names, IReadOnlyList<string> flags,
        out (string Field, string Message) error)
    {
        error = default;
        JsonDocument document;
        try { document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException)
        {
            error = ("body", $"the body is not valid JSON in UTF-8; send {example}");
            return null;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = ("body", $"the body must be a JSON object; send {example}");
                return null;
            }
            var values = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var field = Printable(property);
                var value = property.Value;
                if (values.ContainsKey(field)) { error = (field, $"field {field} appears more than once"); return null; }
                if (names.Contains(field))
                {
                    if (value.ValueKind != JsonValueKind.String || !TryName(value, out var name))
                    {
                        error = (field, $"{field} must be a string of 1-100 letters, digits, '-', '_' or '.', got {Shown(value)}");
                        return null;
                    }
                    values[field] = name;
                }
                else if (flags.Contains(field))
                {
                    if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        error = (field, $"{field} must be true or false, got {Shown(value)}");
                        return null;
                    }
                    values[field] = value.GetBoolean();
                }
                else
                {
                    error = (field, $"unknown field {field}; the body has exactly {string.Join(", ", names.Concat(flags))}: {example}");
                    return null;
                }
            }
            foreach (var field in names.Concat(flags))
                if (!values.ContainsKey(field)) { error = (field, $"{field} is required: {example}"); return null; }
            return values;
        }
    }

    private static bool TryName(JsonElement value, out string name)
    {
        try { name = value.GetString() ?? ""; }
        catch (InvalidOperationException) { name = ""; return false; }
        return name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
    }

    private static string Printable(JsonProperty property)
    {
        try { return property.Name.Length > 40 ? property.Name[..40] + "…" : property.Name; }
        catch (InvalidOperationException) { return "(a field name that is not valid text)"; }
    }

    private static string Shown(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length > 40 ? raw[..40] + "…" : raw;
    }
}
