using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Fleet.Agent.Grammars;

/// <summary>
/// Turns the common subset of JSON Schema into GBNF that lets the model write only documents the schema accepts:
/// <c>type</c> (object, array, string, number, integer, boolean, null, or a list of them), <c>properties</c>,
/// <c>required</c>, <c>additionalProperties: false</c>, <c>items</c>, <c>enum</c>, <c>const</c>, nesting. Annotations
/// (title, description, $schema, $id, default, examples) are ignored; any other keyword throws
/// <see cref="UnsupportedSchemaException"/> naming it, so nothing in a schema is silently dropped. Object properties
/// come out required first, then optional ones, each in schema order; no other property is allowed.
/// </summary>
internal sealed class JsonSchemaGrammar
{
    private static readonly HashSet<string> Annotations = ["title", "description", "$schema", "$id", "default", "examples", "$comment"];
    private readonly StringBuilder _rules = new();
    private int _next;

    private JsonSchemaGrammar()
    {
    }

    /// <summary>GBNF (root rule <c>root</c>) for documents valid against <paramref name="schema"/>.</summary>
    public static string Build(JsonElement schema)
    {
        var g = new JsonSchemaGrammar();
        var root = g.Rule(schema, "schema");
        return $"root ::= {root}\n{g._rules}{JsonGrammar.Common}";
    }

    /// <summary>
    /// A grammar of several documents (tool arguments): <paramref name="compose"/> gets each schema's rule name, in
    /// order, and returns the root rule's body (and any rules of its own, each on a line of its own); the schemas'
    /// rules and <see cref="JsonGrammar.Common"/> follow it.
    /// </summary>
    public static string BuildMany(IReadOnlyList<(JsonElement Schema, string Path)> schemas, Func<IReadOnlyList<string>, string> compose)
    {
        var g = new JsonSchemaGrammar();
        var names = schemas.Select(s => g.Rule(s.Schema, s.Path)).ToList();
        return $"root ::= {compose(names)}\n{g._rules}{JsonGrammar.Common}";
    }

    /// <summary>A GBNF string literal for exactly <paramref name="text"/>.</summary>
    public static string Literal(string text) => Gbnf(text);

    private string Rule(JsonElement schema, string path)
    {
        if (schema.ValueKind == JsonValueKind.True) return "value";
        if (schema.ValueKind != JsonValueKind.Object)
            throw new UnsupportedSchemaException("schema", path, "must be an object (or true)");
        foreach (var p in schema.EnumerateObject())
            if (!Annotations.Contains(p.Name) && p.Name is not ("type" or "properties" or "required" or "additionalProperties" or "items" or "enum" or "const"))
                throw new UnsupportedSchemaException(p.Name, path, "is not supported by this agent's grammar generator");

        if (schema.TryGetProperty("const", out var constant)) return Add(Literal(constant) + " space");
        if (schema.TryGetProperty("enum", out var values))
        {
            if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0)
                throw new UnsupportedSchemaException("enum", path, "must be a non-empty array");
            return Add("(" + string.Join(" | ", values.EnumerateArray().Select(Literal)) + ") space");
        }

        if (!schema.TryGetProperty("type", out var type)) return "value";
        if (type.ValueKind == JsonValueKind.Array)
            return Add(string.Join(" | ", type.EnumerateArray().Select(t => TypeRule(schema, TypeName(t, path), path))));
        return TypeRule(schema, TypeName(type, path), path);
    }

    private static string TypeName(JsonElement type, string path) => type.ValueKind == JsonValueKind.String
        ? type.GetString()!
        : throw new UnsupportedSchemaException("type", path, "must be a type name or a list of them");

    private string TypeRule(JsonElement schema, string type, string path) => type switch
    {
        "object" => ObjectRule(schema, path),
        "array" => ArrayRule(schema, path),
        "string" or "number" or "integer" or "boolean" or "null" => type,
        _ => throw new UnsupportedSchemaException("type", path, $"\"{type}\" is not a JSON Schema type this agent supports"),
    };

    private string ObjectRule(JsonElement schema, string path)
    {
        if (schema.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind != JsonValueKind.False)
            throw new UnsupportedSchemaException("additionalProperties", path, "may only be false (no property beyond properties is generated)");
        if (!schema.TryGetProperty("properties", out var properties)) return "object";
        if (properties.ValueKind != JsonValueKind.Object)
            throw new UnsupportedSchemaException("properties", path, "must be an object");
        var required = new HashSet<string>();
        if (schema.TryGetProperty("required", out var r) && r.ValueKind != JsonValueKind.Array)
            throw new UnsupportedSchemaException("required", path, "must be an array of property names");
        if (r.ValueKind == JsonValueKind.Array)
            foreach (var name in r.EnumerateArray())
                if (name.ValueKind != JsonValueKind.String || !properties.TryGetProperty(name.GetString()!, out _))
                    throw new UnsupportedSchemaException("required", path, $"must list names in properties; {name.GetRawText()} is not one");
                else required.Add(name.GetString()!);
        var members = properties.EnumerateObject()
            .Select(p => (Required: required.Contains(p.Name),
                Text: $"{Gbnf(Compact(w => w.WriteStringValue(p.Name)))} space \":\" space {Rule(p.Value, $"{path}.properties.{p.Name}")}"))
            .ToList();
        var must = members.Where(m => m.Required).Select(m => m.Text).ToList();
        var may = members.Where(m => !m.Required).Select(m => m.Text).ToList();
        string body;
        if (must.Count > 0)
            body = string.Join(" \",\" space ", must) + string.Concat(may.Select(m => $" (\",\" space {m})?"));
        else if (may.Count > 0)
            // No required member: whichever optional member comes first has no comma before it.
            body = "(" + string.Join(" | ", may.Select((m, i) => m + string.Concat(may.Skip(i + 1).Select(o => $" (\",\" space {o})?")))) + ")?";
        else
            body = "";
        return Add($"\"{{\" space {body} \"}}\" space");
    }

    private string ArrayRule(JsonElement schema, string path)
    {
        var item = schema.TryGetProperty("items", out var items) ? Rule(items, path + ".items") : "value";
        return Add($"\"[\" space ({item} (\",\" space {item})*)? \"]\" space");
    }

    private string Add(string body)
    {
        var name = $"r{_next++}";
        _rules.Append(name).Append(" ::= ").Append(body).Append('\n');
        return name;
    }

    /// <summary>A GBNF literal matching exactly the compact JSON text of <paramref name="value"/>.</summary>
    private static string Literal(JsonElement value) => Gbnf(Compact(value.WriteTo));

    private static string Compact(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A GBNF string literal for exactly <paramref name="text"/>.</summary>
    private static string Gbnf(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in text)
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        return sb.Append('"').ToString();
    }
}
