using System.Text.Json;
using Fleet.Infra.Diagnostics;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Validation;

/// <summary>
/// Checks a program against the providers' schemas: every type token and function exists, every property is an input
/// of its type, required inputs are present, literal types match, and no string output (an id) reaches an integer input.
/// </summary>
public sealed class SchemaValidator
{
    public const string Code = "FLEET100";

    private readonly DiagnosticBag _bag = new();
    private readonly PulumiProgram _program;

    private SchemaValidator(PulumiProgram program) => _program = program;

    public static IReadOnlyList<Diagnostic> Validate(PulumiProgram program)
    {
        var v = new SchemaValidator(program);
        foreach (var r in program.Resources) v.Resource(r);
        foreach (var (name, value) in program.VariableList) v.Expressions(value, $"variables.{name}");
        foreach (var (name, value) in program.Outputs) v.Expressions(value, $"outputs.{name}");
        return v._bag.Items;
    }

    private void Resource(PulumiResource r)
    {
        var path = $"resources.{r.Name}";
        // Kubernetes objects are checked against the KubernetesClient models instead (tests/…/KubernetesObjectTests).
        if (r.Package == "kubernetes") return;
        var schema = ProviderSchemas.Get(r.Package);
        if (schema is null) { Fail(path, $"package '{r.Package}' has no schema to validate against"); return; }
        JsonElement spec;
        if (r.Type.StartsWith("pulumi:providers:", StringComparison.Ordinal))
        {
            if (!schema.Value.TryGetProperty("provider", out spec)) { Expressions(r.Properties, path); return; }
        }
        else if (!schema.Value.GetProperty("resources").TryGetProperty(r.Type, out spec))
        {
            Fail(path + ".type", $"'{r.Type}' is not a resource of {r.Package}");
            return;
        }
        Object(schema.Value, spec, r.Properties, path + ".properties", inputs: true);
    }

    /// <summary>Checks a map against an object spec with <c>inputProperties</c>/<c>requiredInputs</c> or <c>properties</c>/<c>required</c>.</summary>
    private void Object(JsonElement schema, JsonElement spec, PMap map, string path, bool inputs)
    {
        var props = spec.TryGetProperty(inputs ? "inputProperties" : "properties", out var p) ? p : default;
        if (spec.TryGetProperty(inputs ? "requiredInputs" : "required", out var required))
            foreach (var req in required.EnumerateArray())
                if (map[req.GetString()!] is null) Fail(path, $"required property '{req.GetString()}' is missing");
        foreach (var (key, value) in map.Entries)
        {
            if (props.ValueKind != JsonValueKind.Object || !props.TryGetProperty(key, out var propSpec))
            {
                Fail($"{path}.{key}", $"'{key}' is not a property here");
                continue;
            }
            // A deprecated property is usually kept only for old programs and often not read back as written (docker's
            // networksAdvanceds[].name reads back as the id: a replace at every up).
            if (propSpec.TryGetProperty("deprecationMessage", out var deprecation))
                Fail($"{path}.{key}", $"'{key}' is deprecated by its provider: {deprecation.GetString()}");
            Value(schema, propSpec, value, $"{path}.{key}");
        }
    }

    private void Value(JsonElement schema, JsonElement spec, PValue value, string path)
    {
        if (value is PMap fn && IsFunction(fn)) { Function(schema, spec, fn, path); return; }
        if (value is PString s && IsWholeReference(s.Raw)) { Reference(spec, s.Raw, path); return; }

        if (spec.TryGetProperty("$ref", out var refEl))
        {
            var reference = refEl.GetString()!;
            if (reference.StartsWith("pulumi.json#/", StringComparison.Ordinal)) return; // Any, Archive, Asset, Json
            var typeName = reference[(reference.IndexOf("#/types/", StringComparison.Ordinal) + "#/types/".Length)..];
            var type = reference.StartsWith("#/types/", StringComparison.Ordinal) ? schema.GetProperty("types").GetProperty(Uri.UnescapeDataString(typeName)) : default;
            if (type.ValueKind != JsonValueKind.Object) return; // a type from another package: not checked
            if (type.TryGetProperty("enum", out _)) { Scalar("string", value, path); return; }
            if (value is PMap obj) Object(schema, type, obj, path, inputs: false);
            else Fail(path, $"expected an object ({typeName}), got {Describe(value)}");
            return;
        }
        var kind = spec.TryGetProperty("type", out var t) ? t.GetString() : null;
        switch (kind)
        {
            case "array":
                if (value is PList list) for (var i = 0; i < list.Items.Count; i++) Value(schema, spec.GetProperty("items"), list.Items[i], $"{path}[{i}]");
                else Fail(path, $"expected a list, got {Describe(value)}");
                break;
            case "object":
                if (value is PMap map)
                {
                    if (spec.TryGetProperty("additionalProperties", out var ap))
                        foreach (var (k, v) in map.Entries) Value(schema, ap, v, $"{path}.{k}");
                }
                else Fail(path, $"expected an object, got {Describe(value)}");
                break;
            case null: break;
            default: Scalar(kind, value, path); break;
        }
    }

    private void Scalar(string kind, PValue value, string path)
    {
        var ok = (kind, value) switch
        {
            ("string", PString or PNumber or PBool) => true, // Pulumi converts numbers and booleans to strings
            ("integer", PNumber) => true,
            ("number", PNumber) => true,
            ("boolean", PBool) => true,
            _ => false,
        };
        if (!ok) Fail(path, $"expected {kind}, got {Describe(value)}");
    }

    /// <summary>A whole-value reference keeps its type: a string output (an id) cannot feed an integer input.</summary>
    private void Reference(JsonElement spec, string raw, string path)
    {
        var kind = spec.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (kind is not ("integer" or "number")) return;
        var target = raw[2..^1];
        var dot = target.IndexOf('.');
        var root = dot < 0 ? target : target[..dot];
        var output = dot < 0 ? null : target[(dot + 1)..];
        var resource = _program.Find(root);
        if (resource is null || output is null) return;
        var outType = output == "id" ? "string" : OutputType(resource, output);
        if (outType == "string")
            Fail(path, $"'{raw}' is a string output and this input is an {kind} (the integer-id trap, pulumi-yaml#1073); convert with std:index:parseint");
    }

    private static string? OutputType(PulumiResource resource, string output)
    {
        var schema = ProviderSchemas.Get(resource.Package);
        if (schema is null || !schema.Value.GetProperty("resources").TryGetProperty(resource.Type, out var spec)) return null;
        return spec.TryGetProperty("properties", out var props) && props.TryGetProperty(output, out var p) && p.TryGetProperty("type", out var t) ? t.GetString() : null;
    }

    private void Function(JsonElement schema, JsonElement spec, PMap fn, string path)
    {
        var (name, body) = fn.Entries[0];
        if (name == "fn::invoke") { Invoke((PMap)body, spec, path); return; }
        // fn::secret passes its argument's type through; the others produce strings.
        if (name == "fn::secret") { Value(schema, spec, body, path); return; }
        Expressions(body, path);
        if (name is "fn::toJSON" or "fn::toBase64" or "fn::join" && spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("type", out var t) && t.GetString() is "integer" or "number" or "boolean")
            Fail(path, $"{name} yields a string, and this input is {t.GetString()}");
    }

    private void Invoke(PMap body, JsonElement spec, string path)
    {
        var function = (body["function"] as PString)?.Raw ?? "";
        var package = function[..Math.Max(0, function.IndexOf(':'))];
        var schema = ProviderSchemas.Get(package);
        if (schema is null || !schema.Value.TryGetProperty("functions", out var fns) || !fns.TryGetProperty(function, out var f))
        {
            Fail(path, $"'{function}' is not a function of any known provider");
            return;
        }
        var args = body["arguments"] as PMap ?? new PMap([]);
        Object(schema.Value, f.GetProperty("inputs"), args, path + ".arguments", inputs: false);
        var ret = (body["return"] as PString)?.Raw;
        if (ret is null) return;
        if (!f.GetProperty("outputs").GetProperty("properties").TryGetProperty(ret, out var outSpec)) { Fail(path + ".return", $"'{ret}' is not an output of {function}"); return; }
        var kind = spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("type", out var t) ? t.GetString() : null;
        var outKind = outSpec.TryGetProperty("type", out var ot) ? ot.GetString() : null;
        if (kind is "integer" && outKind is "string") Fail(path, $"{function} returns a string and this input is an integer");
    }

    /// <summary>Walks a value that has no schema (outputs, function bodies) to check the invokes inside it.</summary>
    private void Expressions(PValue value, string path)
    {
        switch (value)
        {
            case PMap m when IsFunction(m) && m.Entries[0].Key == "fn::invoke": Invoke((PMap)m.Entries[0].Value, default, path); break;
            case PMap m: foreach (var (k, v) in m.Entries) Expressions(v, $"{path}.{k}"); break;
            case PList l: for (var i = 0; i < l.Items.Count; i++) Expressions(l.Items[i], $"{path}[{i}]"); break;
        }
    }

    private static bool IsFunction(PMap map) => map.Entries.Count == 1 && map.Entries[0].Key.StartsWith("fn::", StringComparison.Ordinal);

    private static bool IsWholeReference(string raw) => raw.StartsWith("${", StringComparison.Ordinal) && raw.EndsWith('}') && raw.IndexOf("${", 2, StringComparison.Ordinal) < 0 && raw.IndexOf('}') == raw.Length - 1;

    private static string Describe(PValue value) => value switch
    {
        PString s => $"string \"{(s.Raw.Length > 40 ? s.Raw[..40] + "..." : s.Raw)}\"",
        PNumber n => $"number {n.Value}",
        PBool b => $"boolean {b.Value}",
        PList => "a list",
        _ => "an object",
    };

    private void Fail(string path, string message) => _bag.Error(Code, path, message, "this is a Fleet bug: please report it with the stack config");
}
