using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Fleet.Infra.Pulumi;
using YamlDotNet.RepresentationModel;

namespace Fleet.Infra.Tests.Evaluation;

/// <summary>
/// Runs an emitted Pulumi YAML program (its printed text, not the C# model) the way the engine would, with mocked
/// resource outputs: resolves every <c>${…}</c> and <c>fn::</c>, orders resources by their dependencies (failing on
/// a cycle or an unknown reference), and returns each resource's final inputs.
/// </summary>
public sealed class ProgramEvaluator
{
    private readonly Dictionary<string, YamlMappingNode> _declared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, YamlNode> _variables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object?> _variableValues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EvaluatedResource> _done = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);
    private readonly TestMocks _mocks;
    private readonly Dictionary<string, object?> _config;
    private HashSet<string> _currentDeps = new(StringComparer.Ordinal);

    private ProgramEvaluator(TestMocks mocks, Dictionary<string, object?> config) => (_mocks, _config) = (mocks, config);

    /// <param name="stackConfig">
    /// The stack's config as the engine hands it to pulumi-yaml (fully qualified keys). Like pulumi-yaml (run.go
    /// getConfNodesFromMap, sort.go checkUniqueNode), each key of the project's namespace becomes a node named without the
    /// namespace, and a resource or variable of the same name is silently never registered: it is reported in
    /// <see cref="EvaluatedProgram.Unregistered"/> and <c>${name}</c> reads the config value.
    /// </param>
    public static EvaluatedProgram Evaluate(string yaml, TestMocks? mocks = null, Dictionary<string, object?>? config = null, IReadOnlyDictionary<string, object?>? stackConfig = null)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var evaluator = new ProgramEvaluator(mocks ?? new TestMocks(), config ?? []);
        var resources = (YamlMappingNode)root.Children[new YamlScalarNode("resources")];
        foreach (var (key, node) in resources.Children) evaluator._declared[((YamlScalarNode)key).Value!] = (YamlMappingNode)node;
        if (root.Children.TryGetValue(new YamlScalarNode("variables"), out var variables))
            foreach (var (key, node) in ((YamlMappingNode)variables).Children) evaluator._variables[((YamlScalarNode)key).Value!] = node;
        var project = root.Children.TryGetValue(new YamlScalarNode("name"), out var n) ? ((YamlScalarNode)n).Value! : "";
        var unregistered = new List<string>();
        foreach (var (key, value) in stackConfig ?? new Dictionary<string, object?>())
        {
            var node = key.StartsWith(project + ":", StringComparison.Ordinal) ? key[(project.Length + 1)..] : key;
            evaluator._config[node] = value;
            if (evaluator._declared.Remove(node) | evaluator._variables.Remove(node)) unregistered.Add(node);
        }
        var order = new List<EvaluatedResource>();
        foreach (var name in evaluator._declared.Keys) order.Add(evaluator.Resource(name));
        var outputs = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (root.Children.TryGetValue(new YamlScalarNode("outputs"), out var outNode))
            foreach (var (key, node) in ((YamlMappingNode)outNode).Children) outputs[((YamlScalarNode)key).Value!] = evaluator.Eval(node);
        return new EvaluatedProgram(evaluator._declared.Keys.Select(n => evaluator._done[n]).ToArray(), outputs) { Unregistered = unregistered };
    }

    private EvaluatedResource Resource(string name)
    {
        if (_done.TryGetValue(name, out var done)) return done;
        if (!_inProgress.Add(name)) throw new InvalidOperationException($"dependency cycle through '{name}'");
        var node = _declared[name];
        var type = ((YamlScalarNode)node.Children[new YamlScalarNode("type")]).Value!;
        var outer = _currentDeps;
        _currentDeps = new HashSet<string>(StringComparer.Ordinal);
        var inputs = node.Children.TryGetValue(new YamlScalarNode("properties"), out var props) ? (Dictionary<string, object?>)Eval(props)! : [];
        var propertyDeps = _currentDeps;
        _currentDeps = outer;
        var dependsOn = new List<string>();
        var options = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (node.Children.TryGetValue(new YamlScalarNode("options"), out var opts))
        {
            options = (Dictionary<string, object?>)Eval(opts)!;
            if (options.TryGetValue("dependsOn", out var d)) dependsOn.AddRange(((List<object?>)d!).Cast<ResourceRef>().Select(r => r.Name));
            if (options.TryGetValue("provider", out var p)) dependsOn.Add(((ResourceRef)p!).Name);
        }
        var outputs = _mocks.NewResource(type, name, inputs);
        _inProgress.Remove(name);
        return _done[name] = new EvaluatedResource(name, type, inputs, outputs, dependsOn) { Options = options, PropertyDependencies = propertyDeps };
    }

    private object? Eval(YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode s:
                if (s.Style is YamlDotNet.Core.ScalarStyle.Plain)
                {
                    if (s.Value is "true" or "false") return s.Value == "true";
                    if (long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
                }
                return Interpolate(s.Value ?? "");
            case YamlSequenceNode seq:
                return seq.Children.Select(Eval).ToList();
            case YamlMappingNode map when map.Children.Count == 1 && ((YamlScalarNode)map.Children.First().Key).Value!.StartsWith("fn::", StringComparison.Ordinal):
                var (k, v) = map.Children.First();
                return Function(((YamlScalarNode)k).Value!, v);
            case YamlMappingNode map:
                return map.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => Eval(kv.Value), StringComparer.Ordinal);
            default:
                throw new InvalidOperationException("unexpected YAML node");
        }
    }

    private object? Interpolate(string raw)
    {
        var parts = Interpolation.Parse(raw);
        if (parts.Count == 1 && parts[0].IsReference) return Lookup(parts[0].Text);
        var secret = false;
        var sb = new StringBuilder();
        foreach (var part in parts)
        {
            if (!part.IsReference) { sb.Append(part.Text); continue; }
            var value = Lookup(part.Text);
            secret |= value is Secret;
            sb.Append(Text(EvaluatedResource.Unwrap(value), part.Text));
        }
        return secret ? new Secret(sb.ToString()) : sb.ToString();
    }

    private object? Lookup(string path)
    {
        var root = Interpolation.Root(path);
        var rest = path[root.Length..];
        object? current;
        if (_declared.ContainsKey(root))
        {
            _currentDeps.Add(root);
            var resource = Resource(root);
            if (rest.Length == 0) return new ResourceRef(root);
            current = resource.Outputs;
        }
        else if (_variables.TryGetValue(root, out var variable)) current = Variable(root, variable);
        else if (_config.TryGetValue(root, out var c)) current = c;
        else throw new InvalidOperationException($"'${{{path}}}' refers to '{root}', which is not declared");

        var secret = false;
        foreach (var segment in Segments(rest))
        {
            secret |= current is Secret;
            current = EvaluatedResource.Unwrap(current);
            current = segment switch
            {
                int i when current is List<object?> list => i < list.Count ? list[i] : throw new InvalidOperationException($"list index {i} out-of-bounds in '${{{path}}}'"),
                string key when current is Dictionary<string, object?> map => map.TryGetValue(key, out var x) ? x : throw new InvalidOperationException($"'${{{path}}}': no output '{key}' (mock or typo)"),
                _ => throw new InvalidOperationException($"'${{{path}}}': cannot index {current?.GetType().Name} with {segment}"),
            };
        }
        return secret && current is not Secret ? new Secret(current) : current;
    }

    /// <summary>A variable is evaluated once, on first use, like the engine does.</summary>
    private object? Variable(string name, YamlNode node)
    {
        if (_variableValues.TryGetValue(name, out var value)) return value;
        if (!_inProgress.Add("var:" + name)) throw new InvalidOperationException($"dependency cycle through variable '{name}'");
        value = Eval(node);
        _inProgress.Remove("var:" + name);
        return _variableValues[name] = value;
    }

    private static IEnumerable<object> Segments(string rest)
    {
        var i = 0;
        while (i < rest.Length)
        {
            if (rest[i] == '.')
            {
                var end = rest.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? rest.Length : end;
                yield return rest[(i + 1)..end];
                i = end;
            }
            else if (rest[i] == '[')
            {
                var end = rest.IndexOf(']', i);
                var inner = rest[(i + 1)..end];
                yield return inner.StartsWith('"') ? inner.Trim('"') : int.Parse(inner, CultureInfo.InvariantCulture);
                i = end + 1;
            }
            else throw new InvalidOperationException($"bad access path '{rest}'");
        }
    }

    private object? Function(string name, YamlNode arg)
    {
        switch (name)
        {
            case "fn::secret": return new Secret(EvaluatedResource.Unwrap(Eval(arg)));
            case "fn::toJSON":
            {
                var value = Eval(arg);
                var json = Json(value, out var secret);
                return secret ? new Secret(json) : json;
            }
            case "fn::toBase64":
            {
                var value = Eval(arg);
                var text = Convert.ToBase64String(Encoding.UTF8.GetBytes((string)EvaluatedResource.Unwrap(value)!));
                return value is Secret ? new Secret(text) : text;
            }
            case "fn::join":
            {
                var list = (List<object?>)Eval(arg)!;
                var items = (List<object?>)EvaluatedResource.Unwrap(list[1])!;
                var secret = items.Any(i => i is Secret) || list[1] is Secret;
                var text = string.Join((string)list[0]!, items.Select(i => Text(EvaluatedResource.Unwrap(i), "join")));
                return secret ? new Secret(text) : text;
            }
            case "fn::invoke":
            {
                var body = (Dictionary<string, object?>)Eval(arg)!;
                var args = (Dictionary<string, object?>)body["arguments"]!;
                var secret = args.Values.Any(v => v is Secret);
                var result = Invoke((string)body["function"]!, args.ToDictionary(kv => kv.Key, kv => EvaluatedResource.Unwrap(kv.Value)));
                var value = body.TryGetValue("return", out var r) ? result[(string)r!] : result;
                return secret ? new Secret(value) : value;
            }
            default: throw new NotSupportedException($"{name} is not implemented by the test evaluator");
        }
    }

    private static Dictionary<string, object?> Invoke(string function, Dictionary<string, object?> args) => function switch
    {
        "std:index:parseint" => new() { ["result"] = long.Parse((string)args["input"]!, CultureInfo.InvariantCulture) },
        "std:index:sha256" => new() { ["result"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes((string)args["input"]!))) },
        _ => throw new NotSupportedException($"no mock for function {function}"),
    };

    private static string Text(object? value, string context) => value switch
    {
        string s => s,
        long or int or bool => Convert.ToString(value, CultureInfo.InvariantCulture)!.ToLowerInvariant(),
        _ => throw new InvalidOperationException($"cannot interpolate {value?.GetType().Name ?? "null"} into a string ({context})"),
    };

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>JSON as the engine's fn::toJSON prints it: object keys sorted.</summary>
    private static string Json(object? value, out bool secret)
    {
        var found = false;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, JsonOptions)) Write(w, value, ref found);
        secret = found;
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter w, object? value, ref bool secret)
    {
        switch (value)
        {
            case Secret s: secret = true; Write(w, s.Value, ref secret); break;
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case long l: w.WriteNumberValue(l); break;
            case bool b: w.WriteBooleanValue(b); break;
            case List<object?> list:
                w.WriteStartArray();
                foreach (var item in list) Write(w, item, ref secret);
                w.WriteEndArray();
                break;
            case Dictionary<string, object?> map:
                w.WriteStartObject();
                foreach (var (k, v) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    w.WritePropertyName(k);
                    Write(w, v, ref secret);
                }
                w.WriteEndObject();
                break;
            default: throw new InvalidOperationException($"cannot serialize {value.GetType().Name}");
        }
    }
}
