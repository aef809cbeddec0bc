using System.Text.Json;
using Fleet.Stacks.Hosting;

namespace Fleet.Stacks.Webhooks;

/// <summary>
/// Reads a <c>POST /v1/scale</c> body strictly, naming the field at fault: valid UTF-8 JSON, one object, exactly the
/// fields <c>stack</c>, <c>pool</c> (names) and <c>nodes</c> (a whole number), each once.
/// </summary>
public static class ScaleRequestReader
{
    public const int MaxNodes = 10_000;
    public const string Example = """{"stack": "prod", "pool": "burst", "nodes": 3}""";

    /// <summary>The request, or null with <paramref name="error"/> (field, message) set.</summary>
    public static ScaleRequest? Read(ReadOnlyMemory<byte> body, out (string Field, string Message) error)
    {
        error = default;
        JsonDocument document;
        try { document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException e)
        {
            error = ("body", $"the body is not valid JSON in UTF-8 ({Position(e)}); send {Example}");
            return null;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = ("body", $"the body must be a JSON object, not {Kind(document.RootElement)}; send {Example}");
                return null;
            }
            string? stack = null, pool = null;
            int? nodes = null;
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var name = Printable(property);
                if (!seen.Add(name)) { error = (name, $"field {name} appears more than once"); return null; }
                switch (name.ToLowerInvariant())
                {
                    case "stack": if (!Name(property.Value, "stack", out stack, out error)) return null; break;
                    case "pool": if (!Name(property.Value, "pool", out pool, out error)) return null; break;
                    case "nodes":
                        if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var n) || n is < 0 or > MaxNodes)
                        {
                            error = ("nodes", $"nodes must be a whole number from 0 to {MaxNodes}, got {Shown(property.Value)}");
                            return null;
                        }
                        nodes = n;
                        break;
                    default:
                        error = (name, $"unknown field {name}; the body has exactly stack, pool and nodes: {Example}");
                        return null;
                }
            }
            foreach (var (field, value) in new[] { ("stack", (object?)stack), ("pool", pool), ("nodes", nodes) })
                if (value is null) { error = (field, $"{field} is required: {Example}"); return null; }
            return new ScaleRequest(stack, pool, nodes);
        }
    }

    private static bool Name(JsonElement value, string field, out string? result, out (string, string) error)
    {
        result = null;
        error = default;
        if (value.ValueKind != JsonValueKind.String) { error = (field, $"{field} must be a string such as \"prod\", got {Shown(value)}"); return false; }
        try { result = value.GetString(); }
        catch (InvalidOperationException) { error = (field, $"{field} is not valid text (invalid UTF-8 or an unpaired surrogate escape)"); return false; }
        if (string.IsNullOrEmpty(result) || result.Length > 100 || !result.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            error = (field, $"{field} must be 1-100 letters, digits, '-', '_' or '.'");
            result = null;
            return false;
        }
        return true;
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

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => "true/false",
    };

    private static string Position(JsonException e) =>
        e.LineNumber is { } line ? $"line {line + 1}, byte {e.BytePositionInLine + 1}" : "unreadable";
}
