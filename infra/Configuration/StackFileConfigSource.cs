using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Fleet.Infra.Configuration;

/// <summary>
/// Reads <c>Pulumi.&lt;stack&gt;.yaml</c> the way the Pulumi CLI stores it: a <c>config:</c> map of
/// <c>namespace:key</c> to values, where <c>{secure: …}</c> marks an encrypted secret.
/// </summary>
public static class StackFileConfigSource
{
    /// <summary>Loads <c>Pulumi.&lt;stack&gt;.yaml</c> from <paramref name="projectDirectory"/>.</summary>
    public static StackConfig Load(string projectDirectory, string stack, string project)
    {
        var path = Path.Combine(projectDirectory, $"Pulumi.{stack}.yaml");
        if (!File.Exists(path))
            throw new ConfigSourceException($"no stack file {path}: create it with `pulumi stack init {stack}` or pass --stack with one of: {string.Join(", ", ListStacks(projectDirectory))}");
        return Parse(File.ReadAllText(path), stack, project, path);
    }

    /// <summary>The stack names that have a <c>Pulumi.&lt;stack&gt;.yaml</c> in the folder.</summary>
    public static IReadOnlyList<string> ListStacks(string projectDirectory) =>
        Directory.Exists(projectDirectory)
            ? Directory.GetFiles(projectDirectory, "Pulumi.*.yaml").Select(f => Path.GetFileName(f)["Pulumi.".Length..^".yaml".Length]).Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>Parses stack-file text.</summary>
    public static StackConfig Parse(string yaml, string stack, string project, string sourceName = "stack file")
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigSourceException($"{sourceName} is not valid YAML at line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}");
        }

        var values = new Dictionary<string, RawConfigValue>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return new StackConfig(stack, project, values, ConfigOrigin.StackFile);
        if (!root.Children.TryGetValue(new YamlScalarNode("config"), out var configNode)) return new StackConfig(stack, project, values, ConfigOrigin.StackFile);
        if (configNode is not YamlMappingNode config) throw new ConfigSourceException($"{sourceName}: `config:` must be a map of keys to values");

        foreach (var (keyNode, valueNode) in config.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            if (!key.Contains(':')) key = $"{project}:{key}";
            if (valueNode is YamlMappingNode m && m.Children.Count == 1 && m.Children.ContainsKey(new YamlScalarNode("secure")))
                values[key] = new RawConfigValue(null, IsSecret: true);
            else
                values[key] = new RawConfigValue(ToJson(valueNode), IsSecret: false);
        }
        return new StackConfig(stack, project, values, ConfigOrigin.StackFile);
    }

    /// <summary>YAML node → JSON node, typing plain scalars as YAML 1.2 core does (ints, floats, bools, null).</summary>
    internal static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            // `pulumi config set KEY '[...]'` stores JSON as a string; the engine hands the compiler that string, which
            // it decodes (EngineConfigSource). Read the stack file the same way.
            var trimmed = text.TrimStart();
            if (trimmed.StartsWith('[') || trimmed.StartsWith('{'))
            {
                try { return JsonNode.Parse(text); }
                catch (System.Text.Json.JsonException) { /* not JSON: a string */ }
            }
            return JsonValue.Create(text);
        }
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        if (text is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) && !(text.Length > 1 && text.TrimStart('-', '+')[0] == '0'))
            return JsonValue.Create(l);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && text.Any(char.IsAsciiDigit)) return JsonValue.Create(d);
        return JsonValue.Create(text);
    }
}
